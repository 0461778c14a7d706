/**
 * Call routing: the edge asks the app what to do with a call (message M1 of the contract)
 * and gets CXML back. `Router` is the seam: the HTTP implementation signs the request as the
 * contract's §6.2 prescribes; tests and other deployments can inject their own.
 */
import { randomUUID } from 'node:crypto'
import { signedHeaders } from '../events/signer.ts'

export { signEdgeRequest } from '../events/signer.ts'

export interface RouteRequest {
  organizationId: string
  /** The A-leg Call-ID, used as the Cloudonix session token (CallSid/Session). */
  callId: string
  domain: string
  from: string
  to: string
  callerName: string | null
  direction: 'subscriber' | 'inbound'
}

export interface Router {
  /** Resolves with a CXML document; rejects with RoutingError when no usable answer came. */
  route(request: RouteRequest): Promise<string>
}

export class RoutingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'RoutingError'
  }
}

export interface HttpCxmlRouterOptions {
  baseUrl: string
  path?: string
  signingSecret: string
  timeoutMs?: number
  userAgent?: string
}

export class HttpCxmlRouter implements Router {
  readonly #options: Required<HttpCxmlRouterOptions>

  constructor(options: HttpCxmlRouterOptions) {
    this.#options = { path: '/api/voice/route', timeoutMs: 8000, userAgent: 'voip-edge/0.1.0 (Cloudonix APP.Core compatible)', ...options }
  }

  async route(request: RouteRequest): Promise<string> {
    const url = new URL(this.#options.path, this.#options.baseUrl)
    const body = JSON.stringify({
      CallSid: request.callId,
      Session: request.callId,
      From: request.from,
      To: request.to,
      CallerName: request.callerName,
      Direction: request.direction,
      CallStatus: 'in-progress',
      ApiVersion: '1',
      AccountSid: request.domain,
      Domain: request.domain,
    })
    const requestId = randomUUID()
    // Connection failures are retried once with the same request id (contract §6.3);
    // anything that reached the app is not, because routing is not idempotent.
    for (let attempt = 1; ; attempt++) {
      let response: Response
      try {
        response = await fetch(url, {
          method: 'POST',
          body,
          signal: AbortSignal.timeout(this.#options.timeoutMs),
          headers: {
            'content-type': 'application/json',
            'user-agent': this.#options.userAgent,
            'x-cx-domain': request.domain,
            'x-cx-session': request.callId,
            'x-cx-from': request.from,
            'x-cx-to': request.to,
            'x-cx-source': 'SUBSCRIBER',
            ...signedHeaders(this.#options.signingSecret, requestId, 'POST', url, body),
          },
        })
      } catch (error) {
        if (attempt < 2 && !(error instanceof DOMException && error.name === 'TimeoutError')) continue
        throw new RoutingError(`routing request failed: ${(error as Error).message}`, { cause: error })
      }
      const text = await response.text()
      if ([502, 503, 504].includes(response.status) && attempt < 2) continue
      if (response.status !== 200) throw new RoutingError(`routing answered HTTP ${response.status}`)
      return text
    }
  }
}
