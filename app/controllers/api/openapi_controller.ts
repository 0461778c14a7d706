import type { HttpContext } from '@adonisjs/core/http'
import { openApiDocument } from '#openapi/document'

export default class OpenApiController {
  async show({ response }: HttpContext) {
    return response.header('cache-control', 'public, max-age=300').send(openApiDocument)
  }
}
