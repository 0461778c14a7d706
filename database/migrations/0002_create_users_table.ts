import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'users'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('organization_id')
        .notNullable()
        .references('id')
        .inTable('organizations')
        .onDelete('RESTRICT')
      table.string('name', 120).notNullable()
      /* Login identity: one account per address across the platform, compared lower-cased. */
      table.string('email', 254).notNullable()
      table.string('password').notNullable()
      table
        .enum('role', ['owner', 'pbx_admin', 'pbx_user', 'reporter'])
        .notNullable()
        .defaultTo('pbx_user')
      table.enum('status', ['active', 'inactive']).notNullable().defaultTo('active')
      table.string('phone', 32).nullable()
      table.boolean('password_reset_required').notNullable().defaultTo(false)
      table.integer('password_policy_version').notNullable().defaultTo(0)
      table.timestamp('password_changed_at', { useTz: true }).nullable()
      table.timestamp('last_login_at', { useTz: true }).nullable()
      table.string('last_login_ip', 64).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.timestamp('deleted_at', { useTz: true }).nullable()
      table.index(['organization_id', 'status'])
      table.index(['organization_id', 'role'])
    })
    this.schema.raw('CREATE UNIQUE INDEX users_email_lower_unique ON users (lower(email))')
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
