import { BaseSchema } from '@adonisjs/lucid/schema'

const TARGET_TYPES = [
  'extension',
  'ring_group',
  'ivr_menu',
  'conference_room',
  'voicemail',
  'hangup',
]

export default class extends BaseSchema {
  protected tableName = 'ivr_menu_options'

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
        .integer('ivr_menu_id')
        .notNullable()
        .references('id')
        .inTable('ivr_menus')
        .onDelete('CASCADE')
      table.string('digit', 1).notNullable()
      table.string('description', 255).nullable()
      table.enum('target_type', TARGET_TYPES).notNullable()
      /* Always an id (OPBX stored the extension number here); validated per type. */
      table.integer('target_id').nullable()
      table.integer('position').notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.unique(['ivr_menu_id', 'digit'])
      table.index(['organization_id', 'ivr_menu_id'])
      table.index(['organization_id', 'target_type', 'target_id'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
