import db from '@adonisjs/lucid/services/db'
import type PhoneNumber from '#models/phone_number'
import { ROUTING_TABLES, type TargetedRoutingType } from '#enums/phone_numbers'

export type RoutingNames = Map<string, string>

/**
 * Names of the routing targets of a page of numbers: one query per target table present
 * on the page (at most five), never one per row.
 */
export async function loadRoutingNames(rows: PhoneNumber[]): Promise<RoutingNames> {
  const names: RoutingNames = new Map()
  const idsByTable = new Map<string, { organizationId: number; ids: Set<number> }>()
  for (const row of rows) {
    if (row.routingType === 'hangup' || row.routingTargetId === null) continue
    const table = ROUTING_TABLES[row.routingType as TargetedRoutingType]
    const entry = idsByTable.get(table) ?? { organizationId: row.organizationId, ids: new Set() }
    entry.ids.add(row.routingTargetId)
    idsByTable.set(table, entry)
  }
  await Promise.all(
    [...idsByTable].map(async ([table, { organizationId, ids }]) => {
      const columns = table === 'extensions' ? ['id', 'number', 'name'] : ['id', 'name']
      const found = await db
        .from(table)
        .where('organization_id', organizationId)
        .whereIn('id', [...ids])
        .select(columns)
      for (const target of found) {
        const name = table === 'extensions' ? `${target.number} ${target.name}` : target.name
        names.set(`${table}:${target.id}`, name)
      }
    }),
  )
  return names
}

export function routingName(names: RoutingNames, row: PhoneNumber) {
  if (row.routingType === 'hangup' || row.routingTargetId === null) return null
  const table = ROUTING_TABLES[row.routingType as TargetedRoutingType]
  return names.get(`${table}:${row.routingTargetId}`) ?? null
}
