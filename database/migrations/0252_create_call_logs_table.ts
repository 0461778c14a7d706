import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The app's own call lifecycle, one row per call, written by the execution plane.
 * extension_id and phone_number_id point at tables of other areas: plain indexed
 * integers for now (FKs ON DELETE SET NULL to be added by the integrator), because a
 * call's history must survive its extension or number being removed.
 */
export default class extends BaseSchema {
  protected tableName = 'call_logs'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('organization_id')
        .notNullable()
        .references('id')
        .inTable('organizations')
        .onDelete('CASCADE')
      /* The Cloudonix session token (CallSid) for this call. */
      table.string('call_id', 255).notNullable()
      table.enum('direction', ['inbound', 'outbound', 'internal']).notNullable()
      table.string('from_number', 100).notNullable()
      table.string('to_number', 100).notNullable()
      table
        .enum('status', [
          'initiated',
          'ringing',
          'answered',
          'completed',
          'busy',
          'no_answer',
          'failed',
        ])
        .notNullable()
        .defaultTo('initiated')
      table.timestamp('initiated_at', { useTz: true }).notNullable()
      table.timestamp('answered_at', { useTz: true }).nullable()
      table.timestamp('ended_at', { useTz: true }).nullable()
      table.integer('duration_seconds').nullable()
      table.integer('extension_id').nullable()
      table.integer('phone_number_id').nullable()
      /* A storage key (storage.ts), served only through signed URLs. */
      table.string('recording_key', 300).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      /*
       * Unique per organization rather than globally: webhook retries of the same call
       * collide, while one tenant's traffic can never block another tenant's insert.
       */
      table.unique(['organization_id', 'call_id'])
      table.index(['organization_id', 'initiated_at', 'id'])
      table.index(['organization_id', 'direction', 'initiated_at'])
      table.index(['organization_id', 'status', 'initiated_at'])
      table.index(['organization_id', 'extension_id', 'initiated_at'])
      table.index(['organization_id', 'phone_number_id'])
      table.index(['organization_id', 'duration_seconds'])
    })
    /*
     * The number filter is a contains-match on either party, which only a trigram index
     * serves. pg_trgm is a trusted extension (database owner suffices); down() leaves it,
     * since other tables (call_detail_records) use it too.
     */
    this.schema.raw('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    this.schema.raw(
      'CREATE INDEX call_logs_from_number_trgm ON call_logs USING gin (from_number gin_trgm_ops)',
    )
    this.schema.raw(
      'CREATE INDEX call_logs_to_number_trgm ON call_logs USING gin (to_number gin_trgm_ops)',
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
