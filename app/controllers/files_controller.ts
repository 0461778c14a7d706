import type { HttpContext } from '@adonisjs/core/http'
import storage, { readFileGrant } from '#services/storage/storage'
import ApiException from '#exceptions/api_exception'

/** GET /files/:token: streams the one file a signed, unexpired token grants. */
export default class FilesController {
  async show({ params, response }: HttpContext) {
    const grant = readFileGrant(String(params.token))
    if (!grant) throw new ApiException(404, 'E_NOT_FOUND', 'This link is invalid or has expired')
    const size = await storage.size(grant.key)
    if (size === null) throw new ApiException(404, 'E_NOT_FOUND', 'The file no longer exists')
    response.header('content-type', grant.mime)
    response.header('content-length', String(size))
    response.header(
      'content-disposition',
      `inline; filename="${grant.filename.replace(/[^\w.-]/g, '_')}"`,
    )
    response.header('cache-control', 'private, max-age=300')
    return response.stream(storage.read(grant.key))
  }
}
