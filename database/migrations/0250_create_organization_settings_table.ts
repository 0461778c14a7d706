import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * One row per organization (created with defaults on first read): execution-plane mode,
 * Cloudonix domain binding, recording and retention settings. Name and timezone stay on
 * organizations, owned by the identity area.
 */
export default class extends BaseSchema {
  protected tableName = 'organization_settings'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('organization_id')
        .notNullable()
        .references('id')
        .inTable('organizations')
        .onDelete('CASCADE')
      table.enum('tenant_mode', ['cloudonix', 'edge']).notNullable().defaultTo('cloudonix')
      table.uuid('domain_uuid').nullable()
      table.string('domain_name', 255).nullable()
      /* AES-256-GCM ciphertext (secret_box), never the clear key. */
      table.text('domain_api_key').nullable()
      table.string('voice_application_id', 100).nullable()
      table.string('voice_application_name', 255).nullable()
      table.integer('no_answer_timeout').notNullable().defaultTo(60)
      table.boolean('recording_enabled').notNullable().defaultTo(false)
      table.enum('recording_format', ['wav', 'mp3']).notNullable().defaultTo('mp3')
      table.integer('recording_retention_days').notNullable().defaultTo(90)
      table.integer('voicemail_retention_days').notNullable().defaultTo(90)
      table.integer('call_log_retention_days').notNullable().defaultTo(365)
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.unique(['organization_id'])
      /* CDR ingestion identifies the tenant by owner.domain.uuid. */
      table.index(['domain_uuid'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
