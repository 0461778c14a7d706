/**
 * Call routing: the edge asks the app what to do with a call (message M1 of the contract)
 * and gets CXML back. `Router` is the seam: the HTTP implementation signs the request as the
 * contract's §6.2 prescribes; tests and other deployments can inject their own.
 */
import { randomUUID } from 'node:crypto'
import { signedHeaders } from '../events/signer.ts'
import { FetchError, httpFetch } from '../cxml/http_fetch.ts'

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

/** A follow-up CXML request (M2): a Dial `action` or a `<Redirect>`, relative to the last document. */
export interface FollowUp {
  url: string
  method: 'GET' | 'POST'
  /** Extra fields, e.g. DialCallStatus / CallStatus / DialCallDuration. */
  params: Record<string, string | number>
}

export interface Router {
  /** Resolves with a CXML document; rejects with RoutingError when no usable answer came. */
  route(request: RouteRequest): Promise<string>
  /** Fetches the next CXML document for a call (M2); optional for routers without URLs. */
  followUp?(request: RouteRequest, followUp: FollowUp): Promise<string>
  /** The absolute URL of the first document: relative CXML URLs resolve against it. */
  readonly routeUrl?: string
}

/**
 * Retry-After (seconds) on the 503 a caller gets when the app could not be asked (routing
 * or credentials): a restarted web process answers again within seconds, so a carrier that
 * honours the header (RFC 3263 failover) should not shun the edge for longer than that.
 */
export const APP_UNAVAILABLE_RETRY_AFTER_S = 10

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
  /** Total budget of one request (contract §6.3: 8 s). */
  timeoutMs?: number
  /** TCP/TLS connect budget (contract §6.3: 3 s). */
  connectTimeoutMs?: number
  userAgent?: string
}

export class HttpCxmlRouter implements Router {
  readonly #options: Required<HttpCxmlRouterOptions>

  constructor(options: HttpCxmlRouterOptions) {
    this.#options = {
      path: '/api/voice/route',
      timeoutMs: 8000,
      connectTimeoutMs: 3000,
      userAgent: 'voip-edge/0.1.0 (Cloudonix APP.Core compatible)',
      ...options,
    }
  }

  get routeUrl(): string {
    return new URL(this.#options.path, this.#options.baseUrl).href
  }

  route(request: RouteRequest): Promise<string> {
    return this.#request(request, new URL(this.#options.path, this.#options.baseUrl), 'POST', {})
  }

  /** Relative URLs resolve against the routing URL, as the contract's §6.4 prescribes. */
  followUp(request: RouteRequest, followUp: FollowUp): Promise<string> {
    const url = new URL(followUp.url, new URL(this.#options.path, this.#options.baseUrl))
    if (url.origin !== new URL(this.#options.baseUrl).origin) {
      return Promise.reject(new RoutingError(`follow-up URL ${url.origin} is not the app's origin`))
    }
    return this.#request(request, url, followUp.method, followUp.params)
  }

  async #request(
    request: RouteRequest,
    url: URL,
    method: 'GET' | 'POST',
    extra: Record<string, string | number>,
  ): Promise<string> {
    const fields: Record<string, string | number | null> = {
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
      ...extra,
    }
    let body = ''
    if (method === 'GET') {
      for (const [key, value] of Object.entries(fields))
        if (value !== null) url.searchParams.set(key, String(value))
    } else {
      body = JSON.stringify(fields)
    }
    const requestId = randomUUID()
    // Connection failures are retried once with the same request id (contract §6.3);
    // anything that reached the app is not, because routing is not idempotent. The retry
    // only gets what is left of the budget: the caller waits for the fallback no longer
    // than the configured timeout, however the first attempt failed.
    const deadline = Date.now() + this.#options.timeoutMs
    for (let attempt = 1; ; attempt++) {
      const left = deadline - Date.now()
      let response: { status: number; body: Buffer }
      try {
        if (left <= 0) throw new Error(`no time left of the ${this.#options.timeoutMs} ms budget`)
        response = await httpFetch(url, {
          method,
          body: method === 'GET' ? undefined : body,
          limits: {
            connectTimeoutMs: Math.min(this.#options.connectTimeoutMs, left),
            totalTimeoutMs: left,
            maxBytes: 256 * 1024,
          },
          headers: {
            'content-type': 'application/json',
            'user-agent': this.#options.userAgent,
            'x-cx-domain': request.domain,
            'x-cx-session': request.callId,
            'x-cx-from': request.from,
            'x-cx-to': request.to,
            'x-cx-source': 'SUBSCRIBER',
            ...signedHeaders(this.#options.signingSecret, requestId, method, url, body),
          },
        })
      } catch (error) {
        if (attempt < 2 && error instanceof FetchError && error.kind === 'connect') continue
        throw new RoutingError(`routing request failed: ${(error as Error).message}`, {
          cause: error,
        })
      }
      const text = response.body.toString('utf8')
      if ([502, 503, 504].includes(response.status) && attempt < 2) continue
      if (response.status !== 200)
        throw new RoutingError(`routing answered HTTP ${response.status}`)
      return text
    }
  }
}
