import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * How long a tenant's audit rows are kept, next to the other retention settings the
 * retention job (app/services/retention) applies. A year by default: long enough for
 * most compliance reviews, bounded so the table cannot grow forever.
 */
export default class extends BaseSchema {
  protected tableName = 'organization_settings'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.integer('audit_log_retention_days').notNullable().defaultTo(365)
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('audit_log_retention_days')
    })
  }
}
