import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * /api clients always get JSON, even when they forget the Accept header; without this a
 * validation error would be flashed to the session and answered with a redirect.
 */
export default class ForceJsonResponseMiddleware {
  handle({ request }: HttpContext, next: NextFn) {
    const headers = request.headers()
    headers.accept = 'application/json'
    return next()
  }
}
