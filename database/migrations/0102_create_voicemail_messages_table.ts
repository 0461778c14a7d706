import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'voicemail_messages'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('organization_id')
        .notNullable()
        .references('id')
        .inTable('organizations')
        .onDelete('CASCADE')
      table
        .integer('extension_id')
        .notNullable()
        .references('id')
        .inTable('extensions')
        .onDelete('CASCADE')
      table.string('caller_number', 64).nullable()
      table.string('caller_name', 120).nullable()
      table.integer('duration_seconds').notNullable().defaultTo(0)
      table.string('audio_key', 255).notNullable()
      table.string('audio_mime', 64).notNullable().defaultTo('audio/wav')
      table.timestamp('received_at', { useTz: true }).notNullable()
      table.timestamp('read_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.timestamp('deleted_at', { useTz: true }).nullable()
      table.index(['organization_id', 'extension_id', 'received_at'])
      table.index(['organization_id', 'extension_id', 'read_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
