import type { HttpContext } from '@adonisjs/core/http'
import Organization from '#models/organization'
import Extension from '#models/extension'
import ApiException from '#exceptions/api_exception'

/**
 * What voip-edge asks before it challenges a phone: which tenant owns a SIP realm, and the
 * SIP password of one of its extensions. Unknown, inactive and suspended all answer the
 * same 404 so the edge treats them alike (and answers the phone identically).
 */
export default class SipRealmsController {
  async show({ params }: HttpContext) {
    const organization = await this.#organization(params.realm)
    return { organizationId: String(organization.id) }
  }

  async user({ params }: HttpContext) {
    const organization = await this.#organization(params.realm)
    const extension = await Extension.query()
      .withScopes((scopes) => scopes.forOrganization(organization))
      .where('sip_username', String(params.username))
      .where('type', 'user')
      .where('status', 'active')
      .whereNull('deleted_at')
      .first()
    if (!extension?.sipPassword) throw ApiException.notFound('SIP user')
    return {
      organizationId: String(organization.id),
      extensionId: String(extension.id),
      password: extension.sipPassword,
    }
  }

  async #organization(realm: unknown) {
    const organization = await Organization.query()
      .whereRaw('lower(sip_domain) = ?', [String(realm).toLowerCase()])
      .where('status', 'active')
      .whereNull('deleted_at')
      .first()
    if (!organization) throw ApiException.notFound('SIP realm')
    return organization
  }
}
