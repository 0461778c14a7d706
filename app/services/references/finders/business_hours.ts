/*
 * Reference finders registered by the business_hours area: for each resource type that rows of
 * this area point at, a function listing the rows that do (see reference_registry.ts).
 */
import db from '@adonisjs/lucid/services/db'
import references, { type Reference } from '#services/references/reference_registry'
import type { RoutingTargetType } from '#enums/business_hours'

/* Live schedules that send callers to the row when open or when closed. */
function schedulesRoutingTo(types: RoutingTargetType[]) {
  return async (organizationId: number, id: number): Promise<Reference[]> => {
    const rows = await db
      .from('business_hours_schedules')
      .where('organization_id', organizationId)
      .whereNull('deleted_at')
      .where((q) =>
        q
          .where((open) => open.whereIn('open_target_type', types).where('open_target_id', id))
          .orWhere((closed) =>
            closed.whereIn('closed_target_type', types).where('closed_target_id', id),
          ),
      )
      .orderBy('name')
      .select('id', 'name')
    return rows.map((row) => ({ type: 'business_hours_schedule', id: row.id, name: row.name }))
  }
}

/* A voicemail target names the extension whose box answers, so it holds the extension too. */
references.register('extension', schedulesRoutingTo(['extension', 'voicemail']))
references.register('conference_room', schedulesRoutingTo(['conference_room']))
references.register('ring_group', schedulesRoutingTo(['ring_group']))
references.register('ivr_menu', schedulesRoutingTo(['ivr_menu']))
