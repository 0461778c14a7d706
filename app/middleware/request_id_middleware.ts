import { randomUUID } from 'node:crypto'
import logger from '@adonisjs/core/services/logger'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/* Accept a caller's id only when it is short and plain, so it cannot forge log lines. */
const VALID_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,127}$/

/**
 * Gives every request one id: the caller's X-Request-Id when it is valid, a fresh UUID
 * otherwise. It is echoed back, put on every log line of the request as `requestId`, and
 * copied into audit rows and error envelopes, so one id ties a support ticket to the logs.
 */
export default class RequestIdMiddleware {
  handle(ctx: HttpContext, next: NextFn) {
    const incoming = ctx.request.header('x-request-id')
    const requestId = incoming && VALID_ID.test(incoming) ? incoming : randomUUID()
    ctx.request.request.headers['x-request-id'] = requestId
    ctx.requestId = requestId
    ctx.logger = logger.child({ requestId })
    ctx.response.header('X-Request-Id', requestId)
    return next()
  }
}

declare module '@adonisjs/core/http' {
  interface HttpContext {
    requestId: string
  }
}
