/*
 * Reference finders registered by the trunks area: for each resource type that rows of
 * this area point at, a function listing the rows that do (see reference_registry.ts).
 */
import db from '@adonisjs/lucid/services/db'
import references from '#services/references/reference_registry'

/* A trunk is in use while a live outbound route lists it (soft-deleted routes do not count). */
references.register('trunk', async (organizationId, trunkId) => {
  const rows: { id: number; name: string }[] = await db
    .from('outbound_routes')
    .join('outbound_route_trunks', 'outbound_route_trunks.outbound_route_id', 'outbound_routes.id')
    .where('outbound_routes.organization_id', organizationId)
    .where('outbound_route_trunks.trunk_id', trunkId)
    .whereNull('outbound_routes.deleted_at')
    .orderBy('outbound_routes.name')
    .select('outbound_routes.id', 'outbound_routes.name')
  return rows.map((row) => ({ type: 'outbound_route', id: row.id, name: row.name }))
})
