import { Exception } from '@adonisjs/core/exceptions'

/**
 * An error meant for the client: status, a stable E_ code and a human message, plus
 * optional structured details. The exception handler renders it in the API envelope.
 */
export default class ApiException extends Exception {
  details?: unknown
  headers?: Record<string, string>

  constructor(
    status: number,
    code: string,
    message: string,
    extra: { details?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, { status, code })
    this.details = extra.details
    this.headers = extra.headers
  }

  static notFound(what = 'Resource') {
    return new ApiException(404, 'E_NOT_FOUND', `${what} not found`)
  }

  static forbidden(message = 'You are not allowed to perform this action', code = 'E_FORBIDDEN') {
    return new ApiException(403, code, message)
  }

  static conflict(message: string, details?: unknown) {
    return new ApiException(409, 'E_CONFLICT', message, { details })
  }
}
