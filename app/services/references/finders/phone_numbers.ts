/*
 * Reference finders registered by the phone_numbers area: for each resource type that rows of
 * this area point at, a function listing the rows that do (see reference_registry.ts).
 */
import db from '@adonisjs/lucid/services/db'
import references, { type Reference } from '#services/references/reference_registry'
import type { RoutingType } from '#enums/phone_numbers'

/* Live numbers (inactive ones too: they would route again once switched back on). */
function numbersWhere(column: string, routingTypes?: RoutingType[]) {
  return async (organizationId: number, id: number): Promise<Reference[]> => {
    const query = db
      .from('phone_numbers')
      .where('organization_id', organizationId)
      .where(column, id)
      .whereNull('deleted_at')
    if (routingTypes) query.whereIn('routing_type', routingTypes)
    const rows = await query.orderBy('number').select('id', 'number', 'friendly_name')
    return rows.map((row) => ({
      type: 'phone_number',
      id: row.id,
      name: row.friendly_name ? `${row.number} ${row.friendly_name}` : row.number,
    }))
  }
}

/* Voicemail routing points at the extension owning the box. */
references.register('extension', numbersWhere('routing_target_id', ['extension', 'voicemail']))
references.register('ring_group', numbersWhere('routing_target_id', ['ring_group']))
references.register('ivr_menu', numbersWhere('routing_target_id', ['ivr_menu']))
references.register(
  'business_hours_schedule',
  numbersWhere('routing_target_id', ['business_hours']),
)
references.register('conference_room', numbersWhere('routing_target_id', ['conference_room']))
references.register('trunk', numbersWhere('trunk_id'))
