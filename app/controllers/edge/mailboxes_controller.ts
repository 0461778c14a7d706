import type { HttpContext } from '@adonisjs/core/http'
import Organization from '#models/organization'
import Extension from '#models/extension'
import ApiException from '#exceptions/api_exception'
import { mailboxCounts } from '#services/voicemail/mwi'

/**
 * GET /api/edge/organizations/:organizationId/mailboxes/:username: the counts voip-edge puts
 * in the first NOTIFY when a phone subscribes to message-summary and it has none cached.
 * The mailbox is the extension whose SIP username the phone registers with.
 */
export default class EdgeMailboxesController {
  async show({ params }: HttpContext) {
    const organization = await Organization.query()
      .where('id', Number(params.organizationId) || 0)
      .where('status', 'active')
      .whereNull('deleted_at')
      .first()
    if (!organization) throw ApiException.notFound('Organization')
    const extension = await Extension.query()
      .withScopes((scopes) => scopes.forOrganization(organization))
      .where('sip_username', String(params.username))
      .whereNull('deleted_at')
      .first()
    if (!extension) throw ApiException.notFound('Mailbox')
    return mailboxCounts(organization.id, extension.id)
  }
}
