import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Weekly ranges and exceptions live in child tables (not JSON on the schedule) so the database
 * enforces "one exception per date per schedule" and the execution plane can read a day's
 * ranges with an indexed query. An exception's own ranges are a small JSONB array: they are
 * only ever read together with their exception and are validated by the API.
 */
export default class extends BaseSchema {
  protected tableName = 'business_hours_schedules'

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
      table.text('description').nullable()
      table.string('timezone', 64).notNullable()
      table.enum('status', ['active', 'inactive']).notNullable().defaultTo('active')
      const kinds = [
        'extension',
        'ring_group',
        'ivr_menu',
        'conference_room',
        'voicemail',
        'hangup',
      ]
      /* No FKs: the targets belong to other areas; the API validates them and guards deletes. */
      table.enum('open_target_type', kinds).notNullable().defaultTo('hangup')
      table.integer('open_target_id').nullable()
      table.enum('closed_target_type', kinds).notNullable().defaultTo('hangup')
      table.integer('closed_target_id').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.timestamp('deleted_at', { useTz: true }).nullable()
      table.index(['organization_id', 'status'])
      table.index(['organization_id', 'created_at'])
      table.index(['organization_id', 'open_target_type', 'open_target_id'])
      table.index(['organization_id', 'closed_target_type', 'closed_target_id'])
    })
    this.schema.raw(
      'CREATE UNIQUE INDEX business_hours_schedules_org_name_live_unique ' +
        'ON business_hours_schedules (organization_id, lower(name)) WHERE deleted_at IS NULL',
    )

    this.schema.createTable('business_hours_rules', (table) => {
      table.increments('id')
      table
        .integer('organization_id')
        .notNullable()
        .references('id')
        .inTable('organizations')
        .onDelete('CASCADE')
      table
        .integer('schedule_id')
        .notNullable()
        .references('id')
        .inTable('business_hours_schedules')
        .onDelete('CASCADE')
      /* 0 = Sunday … 6 = Saturday, as in OPBX. */
      table.smallint('day_of_week').notNullable()
      table.string('start_time', 5).notNullable()
      /* "24:00" is allowed so a range can run to the end of the day. */
      table.string('end_time', 5).notNullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.index(['organization_id', 'schedule_id'])
      table.index(['schedule_id', 'day_of_week'])
    })

    this.schema.createTable('business_hours_exceptions', (table) => {
      table.increments('id')
      table
        .integer('organization_id')
        .notNullable()
        .references('id')
        .inTable('organizations')
        .onDelete('CASCADE')
      table
        .integer('schedule_id')
        .notNullable()
        .references('id')
        .inTable('business_hours_schedules')
        .onDelete('CASCADE')
      table.date('date').notNullable()
      table.string('name', 100).notNullable()
      table.enum('kind', ['closed', 'special']).notNullable()
      table.jsonb('ranges').notNullable().defaultTo('[]')
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.unique(['schedule_id', 'date'])
      table.index(['organization_id', 'schedule_id'])
    })
  }

  async down() {
    this.schema.dropTable('business_hours_exceptions')
    this.schema.dropTable('business_hours_rules')
    this.schema.dropTable(this.tableName)
  }
}
