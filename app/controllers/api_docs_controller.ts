import type { HttpContext } from '@adonisjs/core/http'
import { openApiDocument } from '#openapi/document'

/** GET /api/docs: the OpenAPI document rendered for people. */
export default class ApiDocsController {
  async show({ inertia }: HttpContext) {
    return inertia.render('api_docs', { document: JSON.parse(JSON.stringify(openApiDocument)) })
  }
}
