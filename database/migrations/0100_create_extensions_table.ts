import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'extensions'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('organization_id')
        .notNullable()
        .references('id')
        .inTable('organizations')
        .onDelete('CASCADE')
      /* A removed user must not take their extension (and its call history) with them. */
      table.integer('user_id').nullable().references('id').inTable('users').onDelete('SET NULL')
      table.string('number', 6).notNullable()
      table.string('name', 120).notNullable()
      table
        .enum('type', ['user', 'conference', 'ring_group', 'ivr', 'ai_assistant', 'forward'])
        .notNullable()
        .defaultTo('user')
      table.enum('status', ['active', 'inactive']).notNullable().defaultTo('active')
      table.jsonb('configuration').notNullable().defaultTo('{}')
      table.string('sip_username', 64).nullable()
      /* Ciphertext (app key): SIP digest authentication needs the clear text back. */
      table.text('sip_password').nullable()
      table.boolean('voicemail_enabled').notNullable().defaultTo(false)
      table.boolean('dnd_enabled').notNullable().defaultTo(false)
      table.jsonb('forwarding').notNullable().defaultTo('{}')
      table.jsonb('follow_me').notNullable().defaultTo('{}')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.timestamp('deleted_at', { useTz: true }).nullable()
      table.index(['organization_id', 'type'])
      table.index(['organization_id', 'status'])
      table.index(['organization_id', 'user_id'])
      table.index(['organization_id', 'created_at'])
      table.index(['organization_id', 'name'])
    })
    this.schema.raw(
      `CREATE UNIQUE INDEX extensions_org_number_live_unique
         ON extensions (organization_id, number) WHERE deleted_at IS NULL`,
    )
    this.schema.raw(
      `CREATE UNIQUE INDEX extensions_org_sip_username_live_unique
         ON extensions (organization_id, sip_username)
         WHERE deleted_at IS NULL AND sip_username IS NOT NULL`,
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
