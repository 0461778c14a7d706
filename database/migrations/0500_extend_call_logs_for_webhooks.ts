import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * What the execution plane records on a call beyond the settings area's columns: the
 * `canceled` outcome of the state machine (call_state.ts), the CDR's billable seconds
 * and disposition (the CDR is the authoritative billing record, contract §3.3).
 */
export default class extends BaseSchema {
  protected tableName = 'call_logs'

  async up() {
    this.schema.raw('ALTER TABLE call_logs DROP CONSTRAINT IF EXISTS call_logs_status_check')
    this.schema.raw(
      'ALTER TABLE call_logs ADD CONSTRAINT call_logs_status_check CHECK (status IN ' +
        "('initiated','ringing','answered','completed','busy','no_answer','failed','canceled'))",
    )
    this.schema.alterTable(this.tableName, (table) => {
      table.integer('billsec_seconds').nullable()
      table.string('disposition', 50).nullable()
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('billsec_seconds')
      table.dropColumn('disposition')
    })
    this.schema.raw("UPDATE call_logs SET status = 'failed' WHERE status = 'canceled'")
    this.schema.raw('ALTER TABLE call_logs DROP CONSTRAINT IF EXISTS call_logs_status_check')
    this.schema.raw(
      'ALTER TABLE call_logs ADD CONSTRAINT call_logs_status_check CHECK (status IN ' +
        "('initiated','ringing','answered','completed','busy','no_answer','failed'))",
    )
  }
}
