import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import Organization from '#models/organization'
import OrganizationSettingsService from '#services/settings/organization_settings_service'
import { tenantLimit } from '#services/webhooks/webhook_rate_limit'

/**
 * Platform operators set a tenant's execution-plane budgets (requests a minute per source
 * IP); tenants cannot, or the limit would protect nothing. Without flags it prints them.
 *
 *   node ace tenant:rate-limits acme --webhooks=300 --voice=5000
 *   node ace tenant:rate-limits acme --reset
 */
export default class TenantRateLimits extends BaseCommand {
  static commandName = 'tenant:rate-limits'
  static description = "Show or set a tenant's webhook and voice request budgets per minute and IP"
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Organization slug' })
  declare organization: string

  @flags.string({ description: 'Webhook requests a minute per source IP' })
  declare webhooks?: string

  @flags.string({ description: 'Voice routing requests a minute per source IP' })
  declare voice?: string

  @flags.boolean({ description: 'Back to the platform defaults' })
  declare reset: boolean

  async run() {
    const organization = await Organization.query()
      .where('slug', this.organization)
      .whereNull('deleted_at')
      .first()
    if (!organization) return this.fail(`No organization with slug "${this.organization}"`)
    const values: Record<'webhooks' | 'voice', number | null | undefined> = {
      webhooks: undefined,
      voice: undefined,
    }
    for (const key of ['webhooks', 'voice'] as const) {
      const raw = this[key]
      if (raw === undefined) continue
      if (!/^\d{1,7}$/.test(raw) || Number(raw) < 1) {
        return this.fail(`--${key} must be a whole number of requests between 1 and 9999999`)
      }
      values[key] = Number(raw)
    }
    if (this.reset) values.webhooks = values.voice = null

    const settings = await new OrganizationSettingsService().forOrganization(organization)
    if (values.webhooks !== undefined) settings.webhookRateLimit = values.webhooks
    if (values.voice !== undefined) settings.voiceRateLimit = values.voice
    // A model save: its hook invalidates the routing cache, so the next request uses it.
    if (settings.$isDirty) await settings.save()
    this.logger.info(
      `${organization.slug}: webhooks ${tenantLimit('webhooks', settings)}/min, voice ${tenantLimit('voice', settings)}/min per source IP` +
        (settings.webhookRateLimit === null && settings.voiceRateLimit === null
          ? ' (platform defaults)'
          : ''),
    )
  }

  private fail(message: string) {
    this.logger.error(message)
    this.exitCode = 1
  }
}
