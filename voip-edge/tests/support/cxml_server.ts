import { createServer, type Server } from 'node:http'
import { signEdgeRequest } from '../../src/routing/router.ts'

export interface RouteCall {
  path: string
  body: Record<string, unknown>
  signatureValid: boolean
}

/** A tiny stand-in for the app's POST /api/voice/route: returns whatever CXML the test sets. */
export class CxmlServer {
  document = '<Response><Hangup/></Response>'
  /** Documents for follow-up URLs (Dial action, Redirect), by path without the query. */
  readonly documents = new Map<string, string>()
  readonly calls: RouteCall[] = []
  readonly cdrs: RouteCall[] = []
  readonly updates: RouteCall[] = []
  readonly #secret: string
  #server: Server | null = null

  constructor(secret: string) {
    this.#secret = secret
  }

  async start(): Promise<string> {
    this.#server = createServer((request, response) => {
      let raw = ''
      request.on('data', (chunk) => (raw += chunk))
      request.on('end', () => {
        const timestamp = Number(request.headers['x-edge-timestamp'])
        const requestId = String(request.headers['x-edge-request-id'])
        const expected = signEdgeRequest(
          this.#secret,
          timestamp,
          requestId,
          'POST',
          request.url ?? '',
          raw,
        )
        const record = {
          path: request.url ?? '',
          body: raw === '' ? {} : JSON.parse(raw),
          signatureValid:
            request.headers['x-edge-signature'] === `v1=${expected}` &&
            Math.abs(Date.now() / 1000 - timestamp) < 300,
        }
        if (
          request.url === '/api/webhooks/cloudonix/cdr' ||
          request.url === '/api/webhooks/cloudonix/session-update'
        ) {
          const list = request.url.endsWith('/cdr') ? this.cdrs : this.updates
          list.push(record)
          response.writeHead(200, { 'content-type': 'application/json' })
          response.end('{}')
          return
        }
        this.calls.push(record)
        response.writeHead(200, { 'content-type': 'application/xml' })
        response.end(this.documents.get((request.url ?? '').split('?')[0]) ?? this.document)
      })
    })
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', () => resolve()))
    const address = this.#server.address()
    if (address === null || typeof address === 'string') throw new Error('no address')
    return `http://127.0.0.1:${address.port}`
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()))
  }
}
