import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Platform support staff. Kept apart from tenant users so that no tenant role, however
 * high, can be turned into platform rights by editing a column.
 */
export default class extends BaseSchema {
  protected tableName = 'staff_users'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table.string('name', 120).notNullable()
      table.string('email', 254).notNullable()
      table.string('password').notNullable()
      table.enum('role', ['support', 'platform_admin']).notNullable().defaultTo('support')
      table.enum('status', ['active', 'inactive']).notNullable().defaultTo('active')
      table.timestamp('last_login_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
    })
    this.schema.raw(
      'CREATE UNIQUE INDEX staff_users_email_lower_unique ON staff_users (lower(email))',
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
