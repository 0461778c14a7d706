import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * A call's timeline: every session update, CDR and compatibility event as it was applied
 * (or ignored) by the call state machine, with a small subset of its payload. The call log
 * keeps the merged outcome; this keeps how it got there, for the call detail view.
 */
export default class extends BaseSchema {
  protected tableName = 'call_events'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table
        .integer('organization_id')
        .notNullable()
        .references('id')
        .inTable('organizations')
        .onDelete('CASCADE')
      table
        .integer('call_log_id')
        .notNullable()
        .references('id')
        .inTable('call_logs')
        .onDelete('CASCADE')
      table.string('source', 20).notNullable()
      /* The sender's own status word (Cloudonix `status`, CDR disposition, compat enum). */
      table.string('status', 50).nullable()
      table.string('state', 20).nullable()
      table.string('previous_state', 20).notNullable()
      /* applied: moved the state; ignored: why not (stale, terminal…); null: not tracked. */
      table.boolean('applied').notNullable()
      table.string('ignored_reason', 50).nullable()
      table.string('event_id', 255).nullable()
      table.timestamp('occurred_at', { useTz: true }).notNullable()
      table.timestamp('received_at', { useTz: true }).notNullable()
      table.jsonb('details').notNullable().defaultTo('{}')
      table.index(['organization_id', 'call_log_id', 'occurred_at'])
    })
    // A redelivered event (same id) is stored once, even if Redis deduplication was down.
    this.schema.raw(
      'CREATE UNIQUE INDEX call_events_event_unique ON call_events (organization_id, source, event_id) WHERE event_id IS NOT NULL',
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
