import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'outbound_rules'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('organization_id')
        .notNullable()
        .references('id')
        .inTable('organizations')
        .onDelete('CASCADE')
      table.enum('kind', ['allow', 'deny']).notNullable()
      table.string('prefix', 16).notNullable()
      table.string('description', 255).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.timestamp('deleted_at', { useTz: true }).nullable()
      table.index(['organization_id', 'kind'])
      table.index(['organization_id', 'created_at'])
    })
    /* One live rule per prefix: an allow and a deny on the same prefix would contradict. */
    this.schema.raw(
      'CREATE UNIQUE INDEX outbound_rules_organization_prefix_live_unique ' +
        'ON outbound_rules (organization_id, prefix) WHERE deleted_at IS NULL',
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
