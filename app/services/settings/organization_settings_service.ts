import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Organization from '#models/organization'
import OrganizationSetting from '#models/organization_setting'
import AuditTrail from '#services/audit/audit_trail'
import ApiException from '#exceptions/api_exception'
import { activeSecretRows } from '#services/settings/webhook_secrets'
import { serializeSettings } from '#transformers/settings_transformer'
import { toColumns, type UpdateSettingsInput } from '#services/settings/settings_input'

type Actor = ReturnType<typeof AuditTrail.fromRequest>
/**
 * The organization's PBX settings row, created with the column defaults the first time
 * anyone asks (ON CONFLICT: two first readers at once must not both fail or duplicate).
 */
export default class OrganizationSettingsService {
  async forOrganization(organization: Organization, trx?: TransactionClientContract) {
    const find = () =>
      OrganizationSetting.query({ client: trx })
        .withScopes((s) => s.forOrganization(organization))
        .if(trx, (q) => q.forUpdate())
        .first()
    const existing = await find()
    if (existing) return existing
    const now = DateTime.now().toJSDate()
    await (trx ?? db)
      .table(OrganizationSetting.table)
      .insert({ organization_id: organization.id, created_at: now, updated_at: now })
      .onConflict('organization_id')
      .ignore()
    return (await find())!
  }

  async update(organization: Organization, input: UpdateSettingsInput, actor: Actor) {
    return db.transaction(async (trx) => {
      const settings = await this.forOrganization(organization, trx)
      if (input.tenantMode === 'edge' && settings.tenantMode !== 'edge')
        await this.#assertSigningSecret(organization, trx)
      const before = serializeSettings(settings)
      settings.useTransaction(trx)
      settings.merge(toColumns(input))
      const apiKeyChanged = settings.$dirty.domainApiKey !== undefined
      await settings.save()
      await AuditTrail.record(
        actor,
        {
          action: 'organization_settings.updated',
          subjectType: 'organization_settings',
          subjectId: settings.id,
          before,
          after: serializeSettings(settings),
          metadata: { apiKeyChanged },
        },
        trx,
      )
      return settings
    })
  }

  /* In edge mode every webhook must be signed: without a secret, every call would fail. */
  async #assertSigningSecret(organization: Organization, trx: TransactionClientContract) {
    const [secret] = await activeSecretRows(organization.id, DateTime.now(), trx)
    if (secret) return
    const message = 'Create a webhook secret (rotate) before switching to edge mode'
    throw new ApiException(422, 'E_VALIDATION_ERROR', message, {
      details: { fields: [{ field: 'tenantMode', message, rule: 'webhookSecret' }] },
    })
  }
}
