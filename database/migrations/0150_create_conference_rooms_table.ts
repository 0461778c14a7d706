import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'conference_rooms'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('organization_id')
        .notNullable()
        .references('id')
        .inTable('organizations')
        .onDelete('CASCADE')
      table.string('number', 6).notNullable()
      table.string('name', 120).notNullable()
      table.string('description', 500).nullable()
      /* Encrypted, not hashed: the media engine has to compare the digits a caller types. */
      table.text('pin').nullable()
      table.text('host_pin').nullable()
      table.integer('max_participants').notNullable().defaultTo(25)
      table.boolean('mute_on_entry').notNullable().defaultTo(false)
      table.boolean('wait_for_host').notNullable().defaultTo(false)
      table.boolean('record').notNullable().defaultTo(false)
      table.boolean('announce_join_leave').notNullable().defaultTo(false)
      table.boolean('music_on_hold').notNullable().defaultTo(false)
      table.enum('status', ['active', 'inactive']).notNullable().defaultTo('active')
      table.integer('created_by').nullable()
      table.integer('updated_by').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.timestamp('deleted_at', { useTz: true }).nullable()
      table.index(['organization_id', 'status'])
      table.index(['organization_id', 'created_at'])
      table.index(['organization_id', 'deleted_at'])
    })
    this.schema.raw(
      `CREATE UNIQUE INDEX conference_rooms_org_number_live_unique
         ON conference_rooms (organization_id, number) WHERE deleted_at IS NULL`,
    )
    this.schema.raw(
      `CREATE UNIQUE INDEX conference_rooms_org_name_live_unique
         ON conference_rooms (organization_id, lower(name)) WHERE deleted_at IS NULL`,
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
