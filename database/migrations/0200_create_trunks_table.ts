import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'trunks'

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
      table.enum('kind', ['register', 'ip']).notNullable()
      table.string('host', 255).nullable()
      table.integer('port').notNullable().defaultTo(5060)
      table.enum('transport', ['udp', 'tcp', 'tls']).notNullable().defaultTo('udp')
      table.string('username', 128).nullable()
      /* AES-256-GCM ciphertext (encryptedColumn): digest auth needs the clear text back. */
      table.text('password').nullable()
      table.integer('register_expiry').nullable()
      table.jsonb('allowed_cidrs').notNullable().defaultTo('[]')
      table.jsonb('codecs').notNullable()
      table.integer('max_channels').nullable()
      table.integer('priority').notNullable().defaultTo(10)
      table.string('caller_id_number', 16).nullable()
      table.boolean('pass_caller_id').notNullable().defaultTo(true)
      table.boolean('enabled').notNullable().defaultTo(true)
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.timestamp('deleted_at', { useTz: true }).nullable()
      table.index(['organization_id', 'kind'])
      table.index(['organization_id', 'enabled'])
      table.index(['organization_id', 'priority'])
      table.index(['organization_id', 'created_at'])
    })
    this.schema.raw(
      'CREATE UNIQUE INDEX trunks_organization_name_live_unique ' +
        'ON trunks (organization_id, lower(name)) WHERE deleted_at IS NULL',
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
