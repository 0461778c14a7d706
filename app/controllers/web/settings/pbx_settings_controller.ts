import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import OrganizationSettingsPolicy from '#policies/organization_settings_policy'
import OrganizationSettingsService from '#services/settings/organization_settings_service'
import RotateWebhookSecret from '#services/settings/rotate_webhook_secret'
import RevokeWebhookSecret from '#services/settings/revoke_webhook_secret'
import { DEFAULT_GRACE_HOURS, listSecrets } from '#services/settings/webhook_secrets'
import AuditTrail from '#services/audit/audit_trail'
import { serializeSettings, serializeWebhookSecret } from '#transformers/settings_transformer'
import { idParam } from '#transformers/params'
import { rotateWebhookSecretValidator, updateSettingsValidator } from '#validators/settings'

/**
 * PBX settings page: Cloudonix or own-edge mode, Cloudonix domain details, recording, and
 * the webhook signing secrets. Same services and policy as /api/v1/settings.
 */
@inject()
export default class PbxSettingsController {
  constructor(protected settings: OrganizationSettingsService) {}

  async edit({ inertia, organization, bouncer, session }: HttpContext) {
    await bouncer.with(OrganizationSettingsPolicy).authorize('view')
    const now = DateTime.now()
    const secrets = await listSecrets(organization.id)
    return inertia.render('settings/pbx', {
      settings: serializeSettings(await this.settings.forOrganization(organization)),
      secrets: secrets.map((row) => serializeWebhookSecret(row, now)),
      // Set once by rotate(), shown once, never stored anywhere readable.
      newSecret: (session.flashMessages.get('newSecret') as string | undefined) ?? null,
      defaultGraceHours: DEFAULT_GRACE_HOURS,
      canUpdate: await bouncer.with(OrganizationSettingsPolicy).allows('update'),
      canManageSecrets: await bouncer
        .with(OrganizationSettingsPolicy)
        .allows('manageWebhookSecrets'),
    })
  }

  async update(ctx: HttpContext) {
    await ctx.bouncer.with(OrganizationSettingsPolicy).authorize('update')
    const input = await ctx.request.validateUsing(updateSettingsValidator)
    await this.settings.update(ctx.organization, input, AuditTrail.fromRequest(ctx))
    ctx.session.flash('success', 'PBX settings saved.')
    return ctx.response.redirect().toPath('/settings/pbx')
  }

  @inject()
  async rotate(ctx: HttpContext, rotateSecret: RotateWebhookSecret) {
    await ctx.bouncer.with(OrganizationSettingsPolicy).authorize('manageWebhookSecrets')
    const { graceHours } = await ctx.request.validateUsing(rotateWebhookSecretValidator)
    const { secret } = await rotateSecret.handle(
      ctx.organization.id,
      graceHours ?? DEFAULT_GRACE_HOURS,
      AuditTrail.fromRequest(ctx),
    )
    ctx.session.flash('newSecret', secret.secret)
    ctx.session.flash('success', 'New webhook secret created. Copy it now: it is shown only once.')
    return ctx.response.redirect().toPath('/settings/pbx')
  }

  @inject()
  async revoke(ctx: HttpContext, revokeSecret: RevokeWebhookSecret) {
    await ctx.bouncer.with(OrganizationSettingsPolicy).authorize('manageWebhookSecrets')
    await revokeSecret.handle(
      ctx.organization.id,
      idParam(ctx.params.id) ?? 0,
      AuditTrail.fromRequest(ctx),
    )
    ctx.session.flash('success', 'Webhook secret revoked.')
    return ctx.response.redirect().toPath('/settings/pbx')
  }
}
