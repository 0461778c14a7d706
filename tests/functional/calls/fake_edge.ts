import { createServer, type Server } from 'node:http'
import env from '#start/env'
import { verifyEdgeSignature } from '#services/webhooks/edge_signature'

export type EdgeRequest = { method: string; path: string; body: string; signed: boolean }

/*
 * A stand-in for voip-edge's control server that speaks its contract: it verifies the
 * signature with the app's own verifier (so an unsigned or mis-signed request is a 401,
 * as on the real edge), knows a set of live call ids, and records what it was asked.
 */
export class FakeEdgeControl {
  readonly requests: EdgeRequest[] = []
  readonly live = new Set<string>()
  /** Live calls not answered yet: the edge refuses to transfer them (409). */
  readonly ringing = new Set<string>()
  /** Delay before answering, to exercise the client's timeout. */
  delayMs = 0
  reloadMs = 0
  #server: Server | null = null

  constructor(readonly secret = env.get('VOIP_EDGE_SIGNING_SECRET')!.release()) {}

  async start() {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        const path = request.url ?? '/'
        const verdict = verifyEdgeSignature(
          {
            timestamp: request.headers['x-edge-timestamp'] as string | undefined,
            requestId: request.headers['x-edge-request-id'] as string | undefined,
            signature: request.headers['x-edge-signature'] as string | undefined,
            method: request.method ?? 'GET',
            pathAndQuery: path,
            rawBody: body,
          },
          [this.secret],
        )
        this.requests.push({ method: request.method ?? '', path, body, signed: verdict.ok })
        const send = (status: number, payload: unknown) =>
          setTimeout(() => {
            response.writeHead(status, { 'content-type': 'application/json' })
            response.end(JSON.stringify(payload))
          }, this.delayMs)
        if (!verdict.ok) return send(401, { error: 'E_EDGE_SIGNATURE_INVALID' })
        const hangup = /^\/v1\/calls\/([^/]+)\/hangup$/.exec(path)
        const transfer = /^\/v1\/calls\/([^/]+)\/transfer$/.exec(path)
        if (request.method === 'POST' && hangup) {
          const id = decodeURIComponent(hangup[1])
          if (!this.live.delete(id)) return send(404, { error: 'E_CALL_NOT_FOUND' })
          return send(200, { hungUp: true })
        }
        if (request.method === 'POST' && transfer) {
          const id = decodeURIComponent(transfer[1])
          const { target } = JSON.parse(body || '{}') as { target?: unknown }
          if (typeof target !== 'string' || target === '')
            return send(422, { error: 'E_VALIDATION', field: 'target' })
          if (!this.live.has(id)) return send(404, { error: 'E_CALL_NOT_FOUND' })
          if (this.ringing.has(id))
            return send(409, { error: 'E_CALL_NOT_ANSWERED', message: 'only a bridged call' })
          return send(200, { transferred: true })
        }
        if (request.method === 'POST' && path === '/v1/reload') {
          return setTimeout(() => send(200, { reloaded: true }), this.reloadMs)
        }
        return send(404, { error: 'E_NOT_FOUND' })
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
    this.#server = server
    const { port } = server.address() as { port: number }
    this.url = `http://127.0.0.1:${port}`
    return this
  }

  url = ''

  /** Points the app at this edge until stop(). */
  use() {
    env.set('VOIP_EDGE_CONTROL_URL', this.url)
    return this
  }

  async stop() {
    env.set('VOIP_EDGE_CONTROL_URL', '')
    const server = this.#server
    this.#server = null
    if (server) {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

/** A port nothing listens on: bound then released, so connects are refused. */
export async function closedPortUrl() {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}

/** A fake edge per test, the app pointed at it; stopped after each test. */
export function useFakeEdge(group: {
  each: { setup: (fn: () => Promise<() => Promise<void>>) => void }
}) {
  const holder = {} as { edge: FakeEdgeControl }
  group.each.setup(async () => {
    holder.edge = await new FakeEdgeControl().start()
    holder.edge.use()
    return () => holder.edge.stop()
  })
  return holder
}
