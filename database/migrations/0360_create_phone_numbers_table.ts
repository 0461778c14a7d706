import { BaseSchema } from '@adonisjs/lucid/schema'

const ROUTING_TYPES = [
  'extension',
  'ring_group',
  'ivr_menu',
  'business_hours',
  'conference_room',
  'voicemail',
  'hangup',
]

export default class extends BaseSchema {
  protected tableName = 'phone_numbers'

  async up() {
    this.schema.createTable(this.tableName, (table) => {
      table.increments('id')
      table
        .integer('organization_id')
        .notNullable()
        .references('id')
        .inTable('organizations')
        .onDelete('CASCADE')
      /* E.164: "+" and at most 15 digits. */
      table.string('number', 16).notNullable()
      table.string('friendly_name', 255).nullable()
      table.enum('status', ['active', 'inactive']).notNullable().defaultTo('active')
      /* No FKs to trunks or routing targets: other areas own them; the API validates them. */
      table.integer('trunk_id').nullable()
      table.enum('routing_type', ROUTING_TYPES).notNullable()
      table.integer('routing_target_id').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.timestamp('deleted_at', { useTz: true }).nullable()
      table.index(['organization_id', 'status'])
      table.index(['organization_id', 'routing_type', 'routing_target_id'])
      table.index(['organization_id', 'trunk_id'])
      table.index(['organization_id', 'created_at'])
      table.index(['organization_id', 'number'])
    })
    /*
     * Global on purpose (not per organization): the carrier delivers a number to exactly
     * one tenant, so two live rows with the same number would make routing ambiguous.
     */
    this.schema.raw(
      'CREATE UNIQUE INDEX phone_numbers_number_live_unique ' +
        'ON phone_numbers (number) WHERE deleted_at IS NULL',
    )
    this.schema.raw(
      'ALTER TABLE phone_numbers ADD CONSTRAINT phone_numbers_routing_target_check CHECK ' +
        "((routing_type = 'hangup') = (routing_target_id IS NULL))",
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
