import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'outbound_routes'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('organization_id')
        .notNullable()
        .references('id')
        .inTable('organizations')
        .onDelete('CASCADE')
      table.string('name', 100).notNullable()
      /* NULL matches every number: the catch-all route. */
      table.string('prefix', 16).nullable()
      table.integer('min_length').nullable()
      table.integer('max_length').nullable()
      table.integer('strip_digits').notNullable().defaultTo(0)
      table.string('prepend', 16).nullable()
      table.integer('priority').notNullable().defaultTo(10)
      table.boolean('enabled').notNullable().defaultTo(true)
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.timestamp('deleted_at', { useTz: true }).nullable()
      table.index(['organization_id', 'enabled', 'priority'])
      table.index(['organization_id', 'priority'])
      table.index(['organization_id', 'created_at'])
    })
    this.schema.raw(
      'CREATE UNIQUE INDEX outbound_routes_organization_name_live_unique ' +
        'ON outbound_routes (organization_id, lower(name)) WHERE deleted_at IS NULL',
    )

    this.schema.createTable('outbound_route_trunks', (table) => {
      table.increments('id')
      table
        .integer('organization_id')
        .notNullable()
        .references('id')
        .inTable('organizations')
        .onDelete('CASCADE')
      table
        .integer('outbound_route_id')
        .notNullable()
        .references('id')
        .inTable('outbound_routes')
        .onDelete('CASCADE')
      /* RESTRICT: trunks are only soft-deleted, and never while a route lists them. */
      table
        .integer('trunk_id')
        .notNullable()
        .references('id')
        .inTable('trunks')
        .onDelete('RESTRICT')
      table.integer('position').notNullable()
      table.unique(['outbound_route_id', 'trunk_id'])
      table.unique(['outbound_route_id', 'position'])
      table.index(['organization_id', 'trunk_id'])
    })
  }

  async down() {
    this.schema.dropTable('outbound_route_trunks')
    this.schema.dropTable(this.tableName)
  }
}
