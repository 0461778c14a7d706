import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * The toll-fraud velocity/spend rule (per-tenant limits in the settings row) and the
 * outbound suspension it triggers (on the organization, because the edge's outbound plan
 * and the app's routing both read it from there). Defaults are generous for a small office
 * yet stop a weekend of pumped premium traffic within the first hour.
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('organization_settings', (table) => {
      table.boolean('fraud_guard_enabled').notNullable().defaultTo(true)
      table.integer('fraud_max_international_calls_per_hour').notNullable().defaultTo(30)
      table.integer('fraud_max_billable_minutes_per_day').notNullable().defaultTo(600)
      table.string('fraud_domestic_prefix', 8).nullable()
    })
    this.schema.alterTable('organizations', (table) => {
      table.timestamp('outbound_suspended_at', { useTz: true }).nullable()
      table.string('outbound_suspension_reason', 255).nullable()
    })
  }

  async down() {
    this.schema.alterTable('organizations', (table) => {
      table.dropColumn('outbound_suspended_at')
      table.dropColumn('outbound_suspension_reason')
    })
    this.schema.alterTable('organization_settings', (table) => {
      table.dropColumn('fraud_guard_enabled')
      table.dropColumn('fraud_max_international_calls_per_hour')
      table.dropColumn('fraud_max_billable_minutes_per_day')
      table.dropColumn('fraud_domestic_prefix')
    })
  }
}
