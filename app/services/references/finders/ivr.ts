/*
 * Reference finders registered by the ivr area: for each resource type that rows of
 * this area point at, a function listing the rows that do (see reference_registry.ts).
 * Only live menus count: a trashed menu routes nobody (its targets are re-checked by no
 * one on restore, see docs/ivr.md).
 */
import db from '@adonisjs/lucid/services/db'
import references, { type Reference } from '#services/references/reference_registry'
import type { IvrTargetType } from '#enums/ivr'

/* Live menus whose failover or one of whose options sends callers to the row. */
function menusTargeting(types: IvrTargetType[]) {
  return async (organizationId: number, id: number): Promise<Reference[]> => {
    const rows = await db
      .from('ivr_menus')
      .where('organization_id', organizationId)
      .whereNull('deleted_at')
      .where((q) =>
        q
          .where((failover) => failover.whereIn('failover_type', types).where('failover_id', id))
          .orWhereExists((options) =>
            options
              .from('ivr_menu_options')
              .whereColumn('ivr_menu_options.ivr_menu_id', 'ivr_menus.id')
              .where('ivr_menu_options.organization_id', organizationId)
              .whereIn('ivr_menu_options.target_type', types)
              .where('ivr_menu_options.target_id', id),
          ),
      )
      .orderBy('name')
      .select('id', 'name')
    return rows.map((row) => ({ type: 'ivr_menu', id: row.id, name: row.name }))
  }
}

/* Extension and voicemail targets both name an extension. */
references.register('extension', menusTargeting(['extension', 'voicemail']))
references.register('ring_group', menusTargeting(['ring_group']))
references.register('conference_room', menusTargeting(['conference_room']))
references.register('ivr_menu', menusTargeting(['ivr_menu']))

/* Live menus playing the recording as their main, invalid-choice or timeout prompt. */
references.register('recording', async (organizationId, id) => {
  const rows = await db
    .from('ivr_menus')
    .where('organization_id', organizationId)
    .whereNull('deleted_at')
    .where((q) =>
      q
        .where('prompt_recording_id', id)
        .orWhere('invalid_prompt_recording_id', id)
        .orWhere('timeout_prompt_recording_id', id),
    )
    .orderBy('name')
    .select('id', 'name')
  return rows.map((row) => ({ type: 'ivr_menu', id: row.id, name: row.name }))
})
