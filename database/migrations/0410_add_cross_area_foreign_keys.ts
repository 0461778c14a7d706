import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Foreign keys between tables that different areas created in parallel (each area could
 * only point at its own tables then). Rows are soft-deleted in normal operation; these
 * keys decide what a hard delete (retention, organization removal) does: history keeps
 * its row with the link cleared, a membership disappears with its extension.
 */
const LINKS: {
  table: string
  column: string
  references: string
  onDelete: 'SET NULL' | 'CASCADE'
}[] = [
  { table: 'call_logs', column: 'extension_id', references: 'extensions', onDelete: 'SET NULL' },
  {
    table: 'call_logs',
    column: 'phone_number_id',
    references: 'phone_numbers',
    onDelete: 'SET NULL',
  },
  {
    table: 'call_detail_records',
    column: 'extension_id',
    references: 'extensions',
    onDelete: 'SET NULL',
  },
  { table: 'phone_numbers', column: 'trunk_id', references: 'trunks', onDelete: 'SET NULL' },
  {
    table: 'ring_group_members',
    column: 'extension_id',
    references: 'extensions',
    onDelete: 'CASCADE',
  },
  {
    table: 'ring_groups',
    column: 'fallback_extension_id',
    references: 'extensions',
    onDelete: 'SET NULL',
  },
  {
    table: 'ring_groups',
    column: 'fallback_ivr_menu_id',
    references: 'ivr_menus',
    onDelete: 'SET NULL',
  },
  {
    table: 'ivr_menus',
    column: 'prompt_recording_id',
    references: 'recordings',
    onDelete: 'SET NULL',
  },
  {
    table: 'ivr_menus',
    column: 'invalid_prompt_recording_id',
    references: 'recordings',
    onDelete: 'SET NULL',
  },
  {
    table: 'ivr_menus',
    column: 'timeout_prompt_recording_id',
    references: 'recordings',
    onDelete: 'SET NULL',
  },
]

export default class extends BaseSchema {
  async up() {
    for (const link of LINKS) {
      this.schema.alterTable(link.table, (table) => {
        table.foreign(link.column).references('id').inTable(link.references).onDelete(link.onDelete)
      })
    }
  }

  async down() {
    for (const link of LINKS) {
      this.schema.alterTable(link.table, (table) => {
        table.dropForeign([link.column])
      })
    }
  }
}
