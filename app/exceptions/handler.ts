import app from '@adonisjs/core/services/app'
import router from '@adonisjs/core/services/router'
import { errors as vineErrors } from '@vinejs/vine'
import { errors as authErrors } from '@adonisjs/auth'
import { errors as lucidErrors } from '@adonisjs/lucid'
import { errors as bouncerErrors } from '@adonisjs/bouncer'
import { errors as limiterErrors } from '@adonisjs/limiter'
import { errors as coreErrors } from '@adonisjs/core'
import { type HttpContext, ExceptionHandler } from '@adonisjs/core/http'
import type { StatusPageRange, StatusPageRenderer } from '@adonisjs/core/types/http'
import ApiException from '#exceptions/api_exception'
import { unavailableDependency } from '#exceptions/unavailable_dependency'

export type ErrorEnvelope = {
  error: { code: string; message: string; details?: unknown; requestId: string }
}

type Normalized = {
  status: number
  code: string
  message: string
  details?: unknown
  headers?: Record<string, string>
}

const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/**
 * One exception handler for the whole app. Machine clients (/api, /health, JSON callers)
 * always get the envelope `{ error: { code, message, details?, requestId } }` and never a
 * stack trace; browsers keep AdonisJS' pages (Youch in development, status pages otherwise).
 */
export default class HttpExceptionHandler extends ExceptionHandler {
  protected debug = !app.inProduction
  protected renderStatusPages = app.inProduction
  /*
   * Browsers refused a page (or asking for one that does not exist) get it inside the
   * console, with its navigation, instead of a bare "Access denied" line.
   */
  protected statusPages: Record<StatusPageRange, StatusPageRenderer> = {
    '403': (_, { inertia }) => inertia.render('errors/status', { status: 403 }),
    '404': (_, { inertia }) => inertia.render('errors/status', { status: 404 }),
  }
  /* Client mistakes are answered, not logged as errors. */
  protected ignoreStatuses = [400, 401, 403, 404, 405, 409, 413, 415, 422, 423, 429]

  async handle(error: unknown, ctx: HttpContext) {
    if (!this.#wantsJson(ctx)) {
      if (this.#isFormRefusal(error, ctx)) {
        ctx.session.flash('error', this.#normalize(error, ctx).message)
        return ctx.response.redirect().back()
      }
      // Bouncer's refusal renders itself ("Access denied") and would skip the status pages.
      if (this.renderStatusPages && error instanceof bouncerErrors.E_AUTHORIZATION_FAILURE) {
        return this.renderErrorAsHTML(error as never, ctx)
      }
      return super.handle(error, ctx)
    }

    const normalized = this.#normalize(error, ctx)
    for (const [name, value] of Object.entries(normalized.headers ?? {})) {
      ctx.response.header(name, value)
    }
    const body: ErrorEnvelope = {
      error: {
        code: normalized.code,
        message: normalized.message,
        ...(normalized.details === undefined ? {} : { details: normalized.details }),
        requestId: ctx.requestId ?? ctx.request.id() ?? '',
      },
    }
    return ctx.response.status(normalized.status).send(body)
  }

  async report(error: unknown, ctx: HttpContext) {
    // An outage fails every request the same way: one warning line each, not a stack trace
    // per request burying the errors that are real bugs (and the app's own log throughput).
    const unavailable = unavailableDependency(error)
    if (unavailable) {
      const { code, message } = error as { code?: unknown; message?: string }
      ctx.logger.warn(
        { dependency: unavailable, code, reason: message?.slice(-200) },
        'backing service unavailable: answered 503',
      )
      return
    }
    return super.report(error, ctx)
  }

  protected context(ctx: HttpContext) {
    return {
      requestId: ctx.requestId,
      organizationId: ctx.organization?.id,
      userId: ctx.auth?.user?.id,
    }
  }

  /**
   * A browser form refused by policy, lockout or rate limit goes back to the form with
   * the reason as a flash message instead of landing on a bare error page.
   */
  #isFormRefusal(error: unknown, ctx: HttpContext) {
    if (ctx.request.method() === 'GET' || !ctx.session) return false
    return (
      error instanceof ApiException ||
      error instanceof bouncerErrors.E_AUTHORIZATION_FAILURE ||
      error instanceof limiterErrors.E_TOO_MANY_REQUESTS
    )
  }

  #wantsJson(ctx: HttpContext) {
    const url = ctx.request.url()
    if (
      url.startsWith('/api/') ||
      url.startsWith('/files/') ||
      ['/api', '/health', '/metrics'].includes(url)
    ) {
      return true
    }
    if (ctx.request.header('x-inertia')) return false
    return ctx.request.accepts(['html', 'json']) === 'json'
  }

  #normalize(error: unknown, ctx: HttpContext): Normalized {
    if (error instanceof ApiException) {
      return {
        status: error.status,
        code: error.code ?? 'E_ERROR',
        message: error.message,
        details: error.details,
        headers: error.headers,
      }
    }
    if (error instanceof vineErrors.E_VALIDATION_ERROR) {
      const fields = (error.messages as { field: string; message: string; rule: string }[]).map(
        ({ field, message, rule }) => ({ field, message, rule }),
      )
      return {
        status: 422,
        code: 'E_VALIDATION_ERROR',
        message: fields.length === 1 ? fields[0].message : 'The request contains invalid fields',
        details: { fields },
      }
    }
    if (error instanceof authErrors.E_UNAUTHORIZED_ACCESS) {
      return {
        status: 401,
        code: 'E_UNAUTHENTICATED',
        message: 'Authentication required: send a valid bearer token',
      }
    }
    if (error instanceof authErrors.E_INVALID_CREDENTIALS) {
      return { status: 401, code: 'E_INVALID_CREDENTIALS', message: 'Invalid email or password' }
    }
    if (error instanceof bouncerErrors.E_AUTHORIZATION_FAILURE) {
      const custom = error.response.message
      return {
        status: 403,
        code: 'E_FORBIDDEN',
        message: custom ?? 'You are not allowed to perform this action',
      }
    }
    if (error instanceof lucidErrors.E_ROW_NOT_FOUND) {
      return { status: 404, code: 'E_NOT_FOUND', message: 'Resource not found' }
    }
    if (error instanceof limiterErrors.E_TOO_MANY_REQUESTS) {
      const headers = error.getDefaultHeaders() as Record<string, string | number>
      const retryAfter = String(headers['Retry-After'] ?? error.response.availableIn)
      return {
        status: 429,
        code: 'E_TOO_MANY_REQUESTS',
        message: `Too many requests: try again in ${retryAfter} seconds`,
        details: { retryAfter: Number(retryAfter), limit: error.response.limit },
        headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, String(v)])),
      }
    }
    if (error instanceof coreErrors.E_ROUTE_NOT_FOUND) {
      return this.#routeNotFound(ctx)
    }
    const unavailable = unavailableDependency(error)
    if (unavailable === 'database') {
      // Writes are transactional (a cut connection rolls the whole change back) and webhook
      // retries are deduplicated, so "try again" is safe and nothing was half written.
      return {
        status: 503,
        code: 'E_DATABASE_UNAVAILABLE',
        message: 'The database is unavailable: retry shortly',
        details: { retryAfter: 5 },
        headers: { 'Retry-After': '5' },
      }
    }
    if (unavailable === 'service') {
      // Redis unreachable: nothing was done that a retry would repeat wrongly.
      return {
        status: 503,
        code: 'E_SERVICE_UNAVAILABLE',
        message: 'A backing service is unavailable: retry shortly',
        details: { retryAfter: 5 },
        headers: { 'Retry-After': '5' },
      }
    }
    const status = this.#statusOf(error)
    if (status === 400 && this.#isJsonSyntaxError(error)) {
      return {
        status: 400,
        code: 'E_MALFORMED_JSON',
        message: 'The request body is not valid JSON',
      }
    }
    if (status === 422 && String((error as Error).message).startsWith('Invalid JSON')) {
      return {
        status: 400,
        code: 'E_MALFORMED_JSON',
        message: 'The request body must be a JSON object or array',
      }
    }
    if (status >= 400 && status < 500) {
      const code = (error as { code?: string }).code
      return {
        status,
        code: code?.startsWith('E_') ? code : 'E_BAD_REQUEST',
        message: (error as Error).message || 'Bad request',
      }
    }
    return {
      status: 500,
      code: 'E_INTERNAL_SERVER_ERROR',
      message: 'Something went wrong on our side. Quote the request id when reporting it.',
    }
  }

  /** A path that exists under another verb is a 405 with Allow, not a 404. */
  #routeNotFound(ctx: HttpContext): Normalized {
    const path = ctx.request.url()
    const allowed = HTTP_METHODS.filter((method) => router.match(path, method, false) !== null)
    if (allowed.length > 0) {
      return {
        status: 405,
        code: 'E_METHOD_NOT_ALLOWED',
        message: `${ctx.request.method()} is not allowed on ${path}`,
        details: { allowed },
        headers: { Allow: allowed.join(', ') },
      }
    }
    return {
      status: 404,
      code: 'E_ROUTE_NOT_FOUND',
      message: `No route for ${ctx.request.method()} ${path}`,
    }
  }

  #statusOf(error: unknown) {
    const status = (error as { status?: unknown })?.status
    return typeof status === 'number' ? status : 500
  }

  #isJsonSyntaxError(error: unknown) {
    return error instanceof SyntaxError
  }
}
