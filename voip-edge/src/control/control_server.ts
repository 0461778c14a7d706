/**
 * The edge's small HTTP control API (app → edge), signed exactly like edge → app requests:
 * `X-Edge-Request-Id`, `X-Edge-Timestamp` (±300 s) and `X-Edge-Signature: v1=<hmac>`.
 * `GET /health` is the only unsigned route and says nothing but up/draining.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { timingSafeEqual } from 'node:crypto'
import type { Logger } from 'pino'
import { signEdgeRequest } from '../events/signer.ts'
import type { TransferResult } from '../b2bua/transfer.ts'
import type { TrunkRegistrationState } from '../trunks/trunk_registrations.ts'

export interface ControlHandlers {
  status(): {
    instanceId: string
    draining: boolean
    mediaHealthy: boolean
    activeCalls: string[]
    /** Registration trunks: state, last status, expiry (trunks/trunk_registrations.ts). */
    trunkRegistrations?: TrunkRegistrationState[]
    /** Calls in progress per trunk id. */
    trunkChannels?: Record<string, number>
  }
  /** Resolves false when no such call is active. */
  hangup(callId: string): Promise<boolean>
  /** Blind transfer of an answered call to an extension or E.164 number. */
  transfer(callId: string, target: string): Promise<TransferResult>
  setSipMessageLog(enabled: boolean): void
  reload(): Promise<void>
  /** New mailbox counts from the app (`POST /v1/mwi`): NOTIFY subscribed/registered phones. */
  mwi?(update: {
    organizationId: string
    aor: string
    newMessages: number
    oldMessages: number
  }): Promise<{ notified: number; subscriptions: number }>
  /** Prometheus exposition for `GET /metrics` (unsigned: scrapers cannot sign). */
  metrics?: { token: string | null; contentType: string; render(): Promise<string> }
}

const MAX_BODY = 16_384
const WINDOW_SEC = 300

export class ControlServer {
  readonly #secret: string
  readonly #handlers: ControlHandlers
  readonly #logger: Logger
  readonly #seen = new Map<string, number>()
  #server: Server | null = null

  constructor(options: { signingSecret: string; handlers: ControlHandlers; logger: Logger }) {
    this.#secret = options.signingSecret
    this.#handlers = options.handlers
    this.#logger = options.logger
  }

  async listen(host: string, port: number): Promise<number> {
    const server = createServer((request, response) => void this.#handle(request, response))
    server.requestTimeout = 10_000
    this.#server = server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => resolve())
    })
    return (server.address() as { port: number }).port
  }

  async close(): Promise<void> {
    const server = this.#server
    this.#server = null
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' })
      response.end(JSON.stringify(body))
    }
    try {
      const body = await readBody(request)
      if (body === null) return send(413, { error: 'E_BODY_TOO_LARGE' })
      const path = request.url ?? '/'
      if (request.method === 'GET' && path === '/health') {
        const state = this.#handlers.status()
        return send(state.draining || !state.mediaHealthy ? 503 : 200, {
          status: state.draining ? 'draining' : state.mediaHealthy ? 'ok' : 'no-media',
        })
      }
      if (request.method === 'GET' && path === '/metrics' && this.#handlers.metrics) {
        const metrics = this.#handlers.metrics
        const bearer = String(request.headers.authorization ?? '').replace(/^Bearer\s+/i, '')
        if (metrics.token && !sameText(bearer, metrics.token))
          return send(401, { error: 'E_METRICS_TOKEN' })
        response.writeHead(200, { 'content-type': metrics.contentType })
        response.end(await metrics.render())
        return
      }
      if (!this.#verify(request, path, body))
        return send(401, { error: 'E_EDGE_SIGNATURE_INVALID' })
      const hangup = /^\/v1\/calls\/([^/]+)\/hangup$/.exec(path)
      if (request.method === 'GET' && path === '/v1/status')
        return send(200, this.#handlers.status())
      if (request.method === 'POST' && hangup) {
        const found = await this.#handlers.hangup(decodeURIComponent(hangup[1]))
        return found ? send(200, { hungUp: true }) : send(404, { error: 'E_CALL_NOT_FOUND' })
      }
      const transfer = /^\/v1\/calls\/([^/]+)\/transfer$/.exec(path)
      if (request.method === 'POST' && transfer) {
        let target: unknown
        try {
          target = (JSON.parse(body || '{}') as { target?: unknown }).target
        } catch {
          target = undefined
        }
        const result = await this.#handlers.transfer(
          decodeURIComponent(transfer[1]),
          typeof target === 'string' ? target : '',
        )
        if (result === 'transferred') return send(200, { transferred: true })
        if (result === 'invalid-target')
          return send(422, {
            error: 'E_VALIDATION',
            field: 'target',
            message: 'target must be an extension number or an E.164 number',
          })
        if (result === 'not-answered')
          return send(409, {
            error: 'E_CALL_NOT_ANSWERED',
            message: 'only a bridged call can be transferred',
          })
        return send(404, { error: 'E_CALL_NOT_FOUND' })
      }
      if (request.method === 'POST' && path === '/v1/logging') {
        const parsed = JSON.parse(body || '{}') as { sipMessages?: unknown }
        if (typeof parsed.sipMessages !== 'boolean')
          return send(422, { error: 'E_VALIDATION', field: 'sipMessages' })
        this.#handlers.setSipMessageLog(parsed.sipMessages)
        return send(200, { sipMessages: parsed.sipMessages })
      }
      if (request.method === 'POST' && path === '/v1/mwi' && this.#handlers.mwi) {
        const update = readMwiUpdate(body)
        if ('field' in update) return send(422, { error: 'E_VALIDATION', ...update })
        return send(200, await this.#handlers.mwi(update))
      }
      if (request.method === 'POST' && path === '/v1/reload') {
        await this.#handlers.reload()
        return send(200, { reloaded: true })
      }
      return send(404, { error: 'E_NOT_FOUND' })
    } catch (error) {
      this.#logger.error({ err: error }, 'control request failed')
      return send(500, { error: 'E_INTERNAL' })
    }
  }

  #verify(request: IncomingMessage, path: string, body: string): boolean {
    const requestId = String(request.headers['x-edge-request-id'] ?? '')
    const timestamp = Number(request.headers['x-edge-timestamp'])
    const signatures = String(request.headers['x-edge-signature'] ?? '')
      .split(',')
      .map((part) => part.trim().replace(/^v1=/, ''))
    const now = Math.floor(Date.now() / 1000)
    if (!requestId || !Number.isInteger(timestamp) || Math.abs(now - timestamp) > WINDOW_SEC)
      return false
    const expected = Buffer.from(
      signEdgeRequest(this.#secret, timestamp, requestId, request.method ?? '', path, body),
    )
    const valid = signatures.some((candidate) => {
      const actual = Buffer.from(candidate)
      return actual.length === expected.length && timingSafeEqual(actual, expected)
    })
    if (!valid) return false
    // A captured request replayed within the window is refused.
    for (const [id, at] of this.#seen) if (now - at > WINDOW_SEC) this.#seen.delete(id)
    if (this.#seen.has(requestId)) return false
    this.#seen.set(requestId, now)
    return true
  }
}

/** The body of `POST /v1/mwi`, or the first invalid field. */
function readMwiUpdate(body: string) {
  let parsed: Record<string, unknown>
  try {
    parsed = JSON.parse(body || '{}') as Record<string, unknown>
  } catch {
    return { field: 'body', message: 'must be a JSON object' }
  }
  const { organizationId, aor, newMessages, oldMessages } = parsed ?? {}
  if (typeof organizationId !== 'string' || organizationId === '')
    return { field: 'organizationId', message: 'must be a non-empty string' }
  if (typeof aor !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(aor))
    return { field: 'aor', message: 'must be user@realm' }
  for (const [field, value] of [
    ['newMessages', newMessages],
    ['oldMessages', oldMessages],
  ] as const)
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
      return { field, message: 'must be a non-negative integer' }
  return {
    organizationId,
    // Realms are case-insensitive, user parts are not.
    aor: `${aor.slice(0, aor.lastIndexOf('@'))}@${aor.slice(aor.lastIndexOf('@') + 1).toLowerCase()}`,
    newMessages: newMessages as number,
    oldMessages: oldMessages as number,
  }
}

function sameText(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

function readBody(request: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    let size = 0
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) {
        resolve(null)
        request.destroy()
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}
