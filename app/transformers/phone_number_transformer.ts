import type PhoneNumber from '#models/phone_number'
import { routingName, type RoutingNames } from '#services/phone_numbers/routing_names'

/** The API shape of a phone number; `names` (batch-loaded) fills the routing target's name. */
export function serializePhoneNumber(row: PhoneNumber, names: RoutingNames = new Map()) {
  return {
    id: row.id,
    organizationId: row.organizationId,
    number: row.number,
    friendlyName: row.friendlyName,
    status: row.status,
    trunkId: row.trunkId,
    routing: { type: row.routingType, id: row.routingTargetId, name: routingName(names, row) },
    createdAt: row.createdAt?.toISO() ?? null,
    updatedAt: row.updatedAt?.toISO() ?? null,
    deletedAt: row.deletedAt?.toISO() ?? null,
  }
}
