import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'recordings'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('organization_id')
        .notNullable()
        .references('id')
        .inTable('organizations')
        .onDelete('CASCADE')
      table.string('name', 120).notNullable()
      table.enum('kind', ['upload', 'remote']).notNullable()
      table.enum('status', ['active', 'inactive']).notNullable().defaultTo('active')
      /* Upload: the storage key, never a public path; files are served only by signed URL. */
      table.string('storage_key', 300).nullable()
      table.string('original_filename', 255).nullable()
      table.string('mime_type', 100).nullable()
      table.bigInteger('size').nullable()
      table.decimal('duration_seconds', 10, 3).nullable()
      table.string('remote_url', 2048).nullable()
      /* users rows are soft-deleted, never removed; no FK so user deletion stays independent. */
      table.integer('created_by').nullable()
      table.integer('updated_by').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.timestamp('deleted_at', { useTz: true }).nullable()
      table.index(['organization_id', 'kind'])
      table.index(['organization_id', 'status'])
      table.index(['organization_id', 'created_at'])
      table.index(['organization_id', 'deleted_at'])
    })
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
