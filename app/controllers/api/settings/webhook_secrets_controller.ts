import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import OrganizationSettingsPolicy from '#policies/organization_settings_policy'
import WebhookSecretService, {
  DEFAULT_GRACE_HOURS,
} from '#services/settings/webhook_secret_service'
import AuditTrail from '#services/audit/audit_trail'
import { serializeWebhookSecret } from '#transformers/settings_transformer'
import { idParam } from '#transformers/params'
import { rotateWebhookSecretValidator } from '#validators/settings'

@inject()
export default class WebhookSecretsController {
  constructor(protected secrets: WebhookSecretService) {}

  async index({ organization, bouncer }: HttpContext) {
    await bouncer.with(OrganizationSettingsPolicy).authorize('viewWebhookSecrets')
    const now = DateTime.now()
    const rows = await this.secrets.list(organization.id)
    return { data: rows.map((row) => serializeWebhookSecret(row, now)) }
  }

  /** The only response that ever carries the clear secret. */
  async rotate(ctx: HttpContext) {
    await ctx.bouncer.with(OrganizationSettingsPolicy).authorize('manageWebhookSecrets')
    const { graceHours } = await ctx.request.validateUsing(rotateWebhookSecretValidator)
    const { secret, previous } = await this.secrets.rotate(
      ctx.organization.id,
      graceHours ?? DEFAULT_GRACE_HOURS,
      AuditTrail.fromRequest(ctx),
    )
    const now = DateTime.now()
    return ctx.response.created({
      data: {
        ...serializeWebhookSecret(secret, now),
        secret: secret.secret,
        previous: previous ? serializeWebhookSecret(previous, now) : null,
      },
    })
  }

  async destroy(ctx: HttpContext) {
    await ctx.bouncer.with(OrganizationSettingsPolicy).authorize('manageWebhookSecrets')
    await this.secrets.revoke(
      ctx.organization.id,
      idParam(ctx.params.id),
      AuditTrail.fromRequest(ctx),
    )
    return ctx.response.noContent()
  }
}
