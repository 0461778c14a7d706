import { BaseSchema } from '@adonisjs/lucid/schema'

const TARGET_TYPES = [
  'extension',
  'ring_group',
  'ivr_menu',
  'conference_room',
  'voicemail',
  'hangup',
]

export default class extends BaseSchema {
  protected tableName = 'ivr_menus'

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
      table.string('description', 500).nullable()
      /*
       * Each prompt is either a recording or TTS text; recordings belong to another area,
       * so the id is validated with existsInOrganization instead of a foreign key.
       */
      table.integer('prompt_recording_id').nullable()
      table.text('prompt_tts_text').nullable()
      table.string('prompt_tts_voice', 60).nullable()
      table.string('prompt_tts_language', 16).nullable()
      table.integer('invalid_prompt_recording_id').nullable()
      table.text('invalid_prompt_tts_text').nullable()
      table.string('invalid_prompt_tts_voice', 60).nullable()
      table.string('invalid_prompt_tts_language', 16).nullable()
      table.integer('timeout_prompt_recording_id').nullable()
      table.text('timeout_prompt_tts_text').nullable()
      table.string('timeout_prompt_tts_voice', 60).nullable()
      table.string('timeout_prompt_tts_language', 16).nullable()
      table.integer('first_digit_timeout').notNullable().defaultTo(5)
      table.integer('inter_digit_timeout').notNullable().defaultTo(3)
      table.integer('max_retries').notNullable().defaultTo(3)
      table.enum('failover_type', TARGET_TYPES).notNullable().defaultTo('hangup')
      table.integer('failover_id').nullable()
      table.enum('status', ['active', 'inactive']).notNullable().defaultTo('active')
      table.integer('created_by').nullable()
      table.integer('updated_by').nullable()
      table.timestamp('created_at', { useTz: true }).notNullable()
      table.timestamp('updated_at', { useTz: true }).notNullable()
      table.timestamp('deleted_at', { useTz: true }).nullable()
      table.index(['organization_id', 'status'])
      table.index(['organization_id', 'created_at'])
      table.index(['organization_id', 'deleted_at'])
      table.index(['organization_id', 'failover_type', 'failover_id'])
      table.index(['organization_id', 'prompt_recording_id'])
    })
    this.schema.raw(
      `CREATE UNIQUE INDEX ivr_menus_org_name_live_unique
         ON ivr_menus (organization_id, lower(name)) WHERE deleted_at IS NULL`,
    )
  }

  async down() {
    this.schema.dropTable(this.tableName)
  }
}
