import { createHmac, randomUUID } from 'node:crypto'
import env from '#start/env'
import ApiException from '#exceptions/api_exception'

/*
 * The app's side of voip-edge's control API (voip-edge/src/control/control_server.ts).
 * Requests are signed like edge → app requests (contract §6.2): HMAC-SHA256 over
 * `<timestamp>.<request-id>.<METHOD>.<path-and-query>.<raw body>` with the shared
 * VOIP_EDGE_SIGNING_SECRET. Every call has a short timeout: an operator pressing "hang up"
 * wants an answer, not a request that hangs as long as the edge does.
 */

export const EDGE_CONTROL_TIMEOUT_MS = 3000

export type EdgeControlOptions = { baseUrl: string; secret: string; timeoutMs?: number }

export type EdgeAnswer = { status: number; body: Record<string, unknown> }

export function signControlRequest(
  secret: string,
  method: string,
  pathAndQuery: string,
  body: string,
  now = Math.floor(Date.now() / 1000),
) {
  const requestId = randomUUID()
  const signature = createHmac('sha256', secret)
    .update(`${now}.${requestId}.${method.toUpperCase()}.${pathAndQuery}.${body}`)
    .digest('hex')
  return {
    'x-edge-request-id': requestId,
    'x-edge-timestamp': String(now),
    'x-edge-signature': `v1=${signature}`,
  }
}

/** The edges' control URLs from VOIP_EDGE_CONTROL_URL (one, or several comma-separated). */
export function controlUrls() {
  return (env.get('VOIP_EDGE_CONTROL_URL') ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '')
}

function unavailable(message: string) {
  return new ApiException(503, 'E_EDGE_UNAVAILABLE', message)
}

export class EdgeControlClient {
  readonly #options: EdgeControlOptions

  constructor(options: EdgeControlOptions) {
    this.#options = options
  }

  /**
   * One client per edge in VOIP_EDGE_CONTROL_URL (comma-separated when several edges run),
   * signed with VOIP_EDGE_SIGNING_SECRET; a 503 when either is missing.
   */
  static allFromEnv() {
    const urls = controlUrls()
    const secret = env.get('VOIP_EDGE_SIGNING_SECRET')?.release()
    if (urls.length === 0 || !secret)
      throw unavailable(
        'Live call control is not configured: set VOIP_EDGE_CONTROL_URL and VOIP_EDGE_SIGNING_SECRET',
      )
    return urls.map((baseUrl) => new EdgeControlClient({ baseUrl, secret }))
  }

  get baseUrl() {
    return this.#options.baseUrl
  }

  /**
   * Sends one signed request. Network failures and timeouts become 503 E_EDGE_UNAVAILABLE;
   * an answer of any status is returned for the caller to interpret, except a signature
   * refusal (401), which is a deployment error (secrets differ) and reported as such.
   */
  async request(method: 'GET' | 'POST', path: string, payload?: unknown): Promise<EdgeAnswer> {
    const url = new URL(path, this.#options.baseUrl)
    const body = payload === undefined ? '' : JSON.stringify(payload)
    const timeoutMs = this.#options.timeoutMs ?? EDGE_CONTROL_TIMEOUT_MS
    let response: Response
    try {
      response = await fetch(url, {
        method,
        headers: {
          ...signControlRequest(this.#options.secret, method, url.pathname + url.search, body),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body || undefined,
        signal: AbortSignal.timeout(timeoutMs),
      })
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError'
      throw unavailable(
        timedOut
          ? `voip-edge did not answer within ${timeoutMs} ms`
          : `voip-edge control endpoint is unreachable (${url.origin})`,
      )
    }
    const text = await response.text()
    let parsed: Record<string, unknown> = {}
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {}
    } catch {
      parsed = { raw: text.slice(0, 200) }
    }
    if (response.status === 401)
      throw new ApiException(
        502,
        'E_EDGE_REJECTED',
        'voip-edge refused the signed control request: VOIP_EDGE_SIGNING_SECRET differs between the app and the edge',
      )
    if (response.status >= 500)
      throw unavailable(`voip-edge answered ${response.status} (${String(parsed.error ?? text)})`)
    return { status: response.status, body: parsed }
  }
}
