import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import OrganizationSettingsPolicy from '#policies/organization_settings_policy'
import RotateWebhookSecret from '#services/settings/rotate_webhook_secret'
import RevokeWebhookSecret from '#services/settings/revoke_webhook_secret'
import { DEFAULT_GRACE_HOURS, listSecrets } from '#services/settings/webhook_secrets'
import AuditTrail from '#services/audit/audit_trail'
import { serializeWebhookSecret } from '#transformers/settings_transformer'
import { idParam } from '#transformers/params'
import { rotateWebhookSecretValidator } from '#validators/settings'

export default class WebhookSecretsController {
  async index({ organization, bouncer }: HttpContext) {
    await bouncer.with(OrganizationSettingsPolicy).authorize('viewWebhookSecrets')
    const now = DateTime.now()
    const rows = await listSecrets(organization.id)
    return { data: rows.map((row) => serializeWebhookSecret(row, now)) }
  }

  /** The only response that ever carries the clear secret. */
  @inject()
  async rotate(ctx: HttpContext, rotateSecret: RotateWebhookSecret) {
    await ctx.bouncer.with(OrganizationSettingsPolicy).authorize('manageWebhookSecrets')
    const { graceHours } = await ctx.request.validateUsing(rotateWebhookSecretValidator)
    const { secret, previous } = await rotateSecret.handle(
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

  @inject()
  async destroy(ctx: HttpContext, revokeSecret: RevokeWebhookSecret) {
    await ctx.bouncer.with(OrganizationSettingsPolicy).authorize('manageWebhookSecrets')
    await revokeSecret.handle(
      ctx.organization.id,
      idParam(ctx.params.id),
      AuditTrail.fromRequest(ctx),
    )
    return ctx.response.noContent()
  }
}
