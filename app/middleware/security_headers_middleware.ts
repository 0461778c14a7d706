import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'

/**
 * Headers shield does not set. Runs for every response, including errors and 404s.
 * The PBX needs the microphone for the planned WebRTC softphone only from its own origin.
 */
export default class SecurityHeadersMiddleware {
  handle({ response }: HttpContext, next: NextFn) {
    response.header('Referrer-Policy', 'strict-origin-when-cross-origin')
    response.header('Permissions-Policy', 'camera=(), geolocation=(), microphone=(self)')
    response.header('Cross-Origin-Opener-Policy', 'same-origin')
    return next()
  }
}
