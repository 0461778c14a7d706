import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * The list sorts by name (its default order); the unique index is on lower(name) and only
 * covers live rows, so it cannot serve that ORDER BY.
 */
export default class extends BaseSchema {
  protected tableName = 'ring_groups'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.index(['organization_id', 'name'], 'ring_groups_organization_name_index')
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropIndex(['organization_id', 'name'], 'ring_groups_organization_name_index')
    })
  }
}
