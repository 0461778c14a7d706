import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Cloudonix CDRs (cloudonix-contract.md §3.3), one per session, stored read-only with the
 * raw JSON. extension_id is filled by ingestion from the matching call log so PBX users
 * can be shown their own calls; like call_logs it is a plain indexed integer for now.
 */
export default class extends BaseSchema {
  protected tableName = 'call_detail_records'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('organization_id')
        .notNullable()
        .references('id')
        .inTable('organizations')
        .onDelete('CASCADE')
      table.timestamp('session_timestamp', { useTz: true }).notNullable()
      table.string('session_token', 100).nullable()
      table.bigInteger('session_id').nullable()
      table.string('call_id', 255).notNullable()
      table.string('from', 100).notNullable()
      table.string('to', 100).notNullable()
      table.string('disposition', 50).notNullable()
      table.integer('duration').notNullable().defaultTo(0)
      table.integer('billsec').notNullable().defaultTo(0)
      table.string('domain', 255).nullable()
      table.string('subscriber', 100).nullable()
      table.integer('cx_trunk_id').nullable()
      table.string('application', 255).nullable()
      table.string('route', 255).nullable()
      table.decimal('rated_cost', 12, 4).nullable()
      table.decimal('approx_cost', 12, 4).nullable()
      table.decimal('sell_cost', 12, 4).nullable()
      table.string('vapp_server', 50).nullable()
      table.timestamp('call_start_time', { useTz: true }).nullable()
      table.timestamp('call_answer_time', { useTz: true }).nullable()
      table.timestamp('call_end_time', { useTz: true }).nullable()
      table.string('status', 50).nullable()
      table.integer('extension_id').nullable()
      table.jsonb('raw_cdr').notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.index(['organization_id', 'session_timestamp', 'id'])
      table.index(['organization_id', 'disposition', 'session_timestamp'])
      table.index(['organization_id', 'extension_id', 'session_timestamp'])
      table.index(['organization_id', 'call_id'])
      table.index(['organization_id', 'duration'])
    })
    /*
     * Delivery is at-least-once (the edge spools and retries), and there is exactly one
     * CDR per Cloudonix session, so the session token is the idempotency key. call_id is
     * deliberately not part of it: a session can carry several SIP Call-IDs, and adding it
     * would let a second CDR for the same session slip in. Payloads without a token fall
     * back to deduping on call_id.
     */
    this.schema.raw(
      'CREATE UNIQUE INDEX cdr_org_session_token_unique ON call_detail_records ' +
        '(organization_id, session_token) WHERE session_token IS NOT NULL',
    )
    this.schema.raw(
      'CREATE UNIQUE INDEX cdr_org_call_id_tokenless_unique ON call_detail_records ' +
        '(organization_id, call_id) WHERE session_token IS NULL',
    )
    this.schema.raw(
      'CREATE INDEX cdr_from_trgm ON call_detail_records USING gin ("from" gin_trgm_ops)',
    )
    this.schema.raw('CREATE INDEX cdr_to_trgm ON call_detail_records USING gin ("to" gin_trgm_ops)')
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
