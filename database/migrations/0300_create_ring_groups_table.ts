import { BaseSchema } from '@adonisjs/lucid/schema'

export default class extends BaseSchema {
  protected tableName = 'ring_groups'

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
      table
        .enum('strategy', ['simultaneous', 'sequential', 'round_robin', 'longest_idle'])
        .notNullable()
        .defaultTo('simultaneous')
      table.integer('timeout').notNullable().defaultTo(30)
      table.integer('ring_turns').notNullable().defaultTo(1)
      table
        .enum('fallback_action', ['extension', 'ring_group', 'ivr_menu', 'voicemail', 'hangup'])
        .notNullable()
        .defaultTo('hangup')
      /*
       * One target column per kind (extension and voicemail both point at an extension) so
       * reference lookups stay indexed. No FKs to extensions/ivr_menus: other areas own them
       * and the API validates the targets.
       */
      table.integer('fallback_extension_id').nullable()
      table.integer('fallback_ivr_menu_id').nullable()
      table.integer('fallback_ring_group_id').nullable()
      table.enum('status', ['active', 'inactive']).notNullable().defaultTo('active')
      /* Where the next round_robin call starts; advanced by the execution plane. */
      table.integer('rotation_position').notNullable().defaultTo(0)
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.timestamp('deleted_at', { useTz: true }).nullable()
      table.index(['organization_id', 'status'])
      table.index(['organization_id', 'strategy'])
      table.index(['organization_id', 'created_at'])
      table.index(['organization_id', 'fallback_extension_id'])
      table.index(['organization_id', 'fallback_ring_group_id'])
      table.index(['organization_id', 'fallback_ivr_menu_id'])
    })
    this.schema.alterTable(this.tableName, (table) => {
      table
        .foreign('fallback_ring_group_id')
        .references('id')
        .inTable('ring_groups')
        .onDelete('SET NULL')
    })
    this.schema.raw(
      'CREATE UNIQUE INDEX ring_groups_organization_name_live_unique ' +
        'ON ring_groups (organization_id, lower(name)) WHERE deleted_at IS NULL',
    )

    this.schema.createTable('ring_group_members', (table) => {
      table.increments('id')
      table
        .integer('organization_id')
        .notNullable()
        .references('id')
        .inTable('organizations')
        .onDelete('CASCADE')
      table
        .integer('ring_group_id')
        .notNullable()
        .references('id')
        .inTable('ring_groups')
        .onDelete('CASCADE')
      /* No FK: extensions belong to another area (validated by the API, guarded on delete). */
      table.integer('extension_id').notNullable()
      table.integer('priority').notNullable().defaultTo(1)
      /* For longest_idle: when the execution plane last offered a call to this member. */
      table.timestamp('last_offered_at', { useTz: true }).nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.unique(['ring_group_id', 'extension_id'])
      table.unique(['ring_group_id', 'priority'])
      table.index(['organization_id', 'extension_id'])
    })
  }

  async down() {
    this.schema.dropTable('ring_group_members')
    this.schema.dropTable(this.tableName)
  }
}
