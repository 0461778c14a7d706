import type { HttpContext } from '@adonisjs/core/http'
import ExtensionPolicy from '#policies/extension_policy'
import { findExtension } from '#services/extensions/extension_lookup'
import { serializeVoicemailMessage } from '#transformers/voicemail_transformer'
import { paginated, sortOrder } from '#transformers/pagination'
import { likeTerm } from '#validators/helpers/listing'
import { listVoicemailMessagesValidator } from '#validators/voicemail'

/** GET /extensions/:id/voicemail-messages: newest first, filterable by read state. */
export default class ExtensionVoicemailMessagesController {
  async index({ params, request, organization, bouncer }: HttpContext) {
    const extension = await findExtension(organization, params.id)
    await bouncer.with(ExtensionPolicy).authorize('accessVoicemail', extension)
    const filters = await request.validateUsing(listVoicemailMessagesValidator, {
      data: request.qs(),
    })
    const [column, direction] = sortOrder(filters.sort, '-received_at')
    const query = extension.related('voicemailMessages').query()
    if (filters.trashed === 'only') query.whereNotNull('deleted_at')
    else if (filters.trashed !== 'with') query.whereNull('deleted_at')
    if (filters.read === true) query.whereNotNull('read_at')
    if (filters.read === false) query.whereNull('read_at')
    if (filters.search) {
      const term = likeTerm(filters.search)
      query.where((q) => q.whereILike('caller_number', term).orWhereILike('caller_name', term))
    }
    const page = await query
      .orderBy(column, direction)
      .orderBy('id', direction)
      .paginate(filters.page ?? 1, filters.perPage ?? 25)
    return paginated(page, serializeVoicemailMessage)
  }
}
