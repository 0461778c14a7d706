import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * Append-only trail of who changed what. organization_id is nullable only for
 * platform-level events (a staff member signing in); every tenant event carries it.
 */
export default class extends BaseSchema {
  protected tableName = 'audit_logs'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.bigIncrements('id')
      table
        .integer('organization_id')
        .nullable()
        .references('id')
        .inTable('organizations')
        .onDelete('CASCADE')
      table
        .integer('actor_user_id')
        .nullable()
        .references('id')
        .inTable('users')
        .onDelete('SET NULL')
      table
        .integer('impersonator_staff_id')
        .nullable()
        .references('id')
        .inTable('staff_users')
        .onDelete('SET NULL')
      table.string('action', 100).notNullable()
      table.string('subject_type', 60).nullable()
      table.string('subject_id', 64).nullable()
      table.jsonb('before').nullable()
      table.jsonb('after').nullable()
      table.jsonb('metadata').nullable()
      table.string('ip', 64).nullable()
      table.string('user_agent', 512).nullable()
      table.string('request_id', 128).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable().defaultTo(this.now())
      table.index(['organization_id', 'created_at'])
      table.index(['organization_id', 'subject_type', 'subject_id'])
      table.index(['impersonator_staff_id', 'created_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
