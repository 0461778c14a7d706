import { createServer, type Server } from 'node:http'
import { createHash } from 'node:crypto'
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
  /** Static files (Play prompts) by path, served to GET requests. */
  readonly files = new Map<string, { type: string; body: Buffer }>()
  readonly fileRequests: string[] = []
  /** Delay before answering routing/action requests (an app that is too slow). */
  delayMs = 0
  /** Recordings the edge uploaded (POST /api/edge/recordings), with the URL answered. */
  readonly recordings: Array<{
    path: string
    audio: Buffer
    signatureValid: boolean
    url: string
  }> = []
  readonly #secret: string
  #server: Server | null = null
  #base = ''

  constructor(secret: string) {
    this.#secret = secret
  }

  async start(): Promise<string> {
    this.#server = createServer((request, response) => {
      const file = this.files.get((request.url ?? '').split('?')[0])
      if (request.method === 'GET' && file) {
        this.fileRequests.push(request.url ?? '')
        response.writeHead(200, { 'content-type': file.type })
        response.end(file.body)
        return
      }
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        const bytes = Buffer.concat(chunks)
        // A binary body (recording) is signed through its SHA-256, as the app checks it.
        const binary = (request.url ?? '').startsWith('/api/edge/recordings')
        const raw = binary
          ? createHash('sha256').update(bytes).digest('hex')
          : bytes.toString('utf8')
        const timestamp = Number(request.headers['x-edge-timestamp'])
        const requestId = String(request.headers['x-edge-request-id'])
        const expected = signEdgeRequest(
          this.#secret,
          timestamp,
          requestId,
          request.method ?? 'POST',
          request.url ?? '',
          raw,
        )
        const signatureValid =
          request.headers['x-edge-signature'] === `v1=${expected}` &&
          Math.abs(Date.now() / 1000 - timestamp) < 300 &&
          (!binary || request.headers['x-edge-content-sha256'] === raw)
        if (binary) {
          const url = `${this.#base}/files/recording-${this.recordings.length + 1}.wav?signature=test`
          this.recordings.push({ path: request.url ?? '', audio: bytes, signatureValid, url })
          response.writeHead(201, { 'content-type': 'application/json' })
          response.end(JSON.stringify({ url }))
          return
        }
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
        const document = this.documents.get((request.url ?? '').split('?')[0]) ?? this.document
        setTimeout(() => {
          if (response.destroyed) return
          response.writeHead(200, { 'content-type': 'application/xml' })
          response.end(document)
        }, this.delayMs)
      })
    })
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', () => resolve()))
    const address = this.#server.address()
    if (address === null || typeof address === 'string') throw new Error('no address')
    this.#base = `http://127.0.0.1:${address.port}`
    return this.#base
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections()
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()))
  }
}
