import type { RouteRequest, Router } from './router.ts'

/**
 * Demo/standalone routing without the app: every call dials the extension it was addressed
 * to, inside the caller's tenant (the B2BUA never looks outside it). Production uses
 * `HttpCxmlRouter` against the app.
 */
export class DirectDialRouter implements Router {
  readonly #timeoutSec: number

  constructor(timeoutSec = 30) {
    this.#timeoutSec = timeoutSec
  }

  async route(request: RouteRequest): Promise<string> {
    const number = request.to.replace(/[<>&"']/g, '')
    return `<Response><Dial timeout="${this.#timeoutSec}"><Number>${number}</Number></Dial></Response>`
  }
}
