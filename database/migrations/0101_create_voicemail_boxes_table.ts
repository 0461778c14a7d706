import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'voicemail_boxes'

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
      /* Hash only: the voicemail menu verifies the PIN, nobody ever needs it back. */
      table.string('pin_hash').nullable()
      table.string('email', 254).nullable()
      table.boolean('notify').notNullable().defaultTo(true)
      table.boolean('attach_audio').notNullable().defaultTo(false)
      table.integer('retention_days').notNullable().defaultTo(90)
      table.integer('max_messages').notNullable().defaultTo(50)
      table.string('greeting_key', 255).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.unique(['organization_id', 'extension_id'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
