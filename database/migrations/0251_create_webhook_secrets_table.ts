import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * HMAC secrets the execution plane signs webhooks with (X-Edge-Signature). Rotation keeps
 * at most two active: the new one and the previous one until its expires_at.
 */
export default class extends BaseSchema {
  protected tableName = 'webhook_secrets'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('organization_id')
        .notNullable()
        .references('id')
        .inTable('organizations')
        .onDelete('CASCADE')
      /* AES-256-GCM ciphertext: the verifier needs the clear value, so it is not hashed. */
      table.text('secret').notNullable()
      /* null: valid until the next rotation. */
      table.timestamp('expires_at', { useTz: true }).nullable()
      table.timestamp('revoked_at', { useTz: true }).nullable()
      /* users rows are soft-deleted, never removed; no FK so user deletion stays independent. */
      table.integer('created_by').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.index(['organization_id', 'revoked_at', 'expires_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
