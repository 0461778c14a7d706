import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Per-tenant request budgets for the execution plane, per source IP and minute. Null means
 * the platform default (WEBHOOK_RATE_LIMIT, VOICE_RATE_LIMIT). Set by platform operators
 * (`node ace tenant:rate-limits`), never by the tenant: a limit the tenant could raise
 * would protect nothing.
 */
export default class extends BaseSchema {
  protected tableName = 'organization_settings'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.integer('webhook_rate_limit').nullable()
      table.integer('voice_rate_limit').nullable()
    })
    this.schema.raw(
      'ALTER TABLE organization_settings ADD CONSTRAINT organization_settings_rate_limits_check ' +
        'CHECK ((webhook_rate_limit IS NULL OR webhook_rate_limit > 0) AND ' +
        '(voice_rate_limit IS NULL OR voice_rate_limit > 0))',
    )
  }

  async down() {
    this.schema.raw(
      'ALTER TABLE organization_settings DROP CONSTRAINT IF EXISTS organization_settings_rate_limits_check',
    )
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('webhook_rate_limit')
      table.dropColumn('voice_rate_limit')
    })
  }
}
