import db from '@adonisjs/lucid/services/db'
import {
  ROUTABLE_EXTENSION_TYPES,
  ROUTING_TABLES,
  type TargetedRoutingType,
} from '#enums/phone_numbers'

type Row = Record<string, unknown>

/* Type-specific conditions beyond "live and active"; each returns why the row cannot be used. */
const extraChecks: Partial<Record<TargetedRoutingType, (row: Row) => Promise<string | null>>> = {
  extension: async (row) =>
    (ROUTABLE_EXTENSION_TYPES as readonly string[]).includes(row.type as string)
      ? null
      : `A ${row.type} extension cannot take calls from a number: route to its target instead`,
  voicemail: async (row) =>
    row.type === 'user' && row.voicemail_enabled === true
      ? null
      : 'Voicemail needs a user extension with voicemail enabled',
  /* A group whose members are all gone or inactive would ring nobody. */
  ring_group: async (row) => {
    const members = await db
      .from('ring_group_members')
      .join('extensions', 'extensions.id', 'ring_group_members.extension_id')
      .where('ring_group_members.ring_group_id', row.id as number)
      .where('extensions.organization_id', row.organization_id as number)
      .where('extensions.status', 'active')
      .whereNull('extensions.deleted_at')
      .count('* as total')
      .first()
    return Number(members?.total ?? 0) > 0 ? null : 'The ring group has no active member'
  },
}

/**
 * Why a number of this organization cannot route to (type, id), or null when it can: the
 * target must be a live, active row of the same organization (another organization's id
 * fails exactly like a missing one) and satisfy its type's own conditions.
 */
export async function routingTargetProblem(
  organizationId: number,
  type: TargetedRoutingType,
  id: number,
): Promise<string | null> {
  const row: Row | null = await db
    .from(ROUTING_TABLES[type])
    .where('organization_id', organizationId)
    .where('id', id)
    .whereNull('deleted_at')
    .first()
  if (!row) return `The selected ${type.replace('_', ' ')} does not exist`
  if (row.status !== 'active') return `The selected ${type.replace('_', ' ')} is not active`
  return (await extraChecks[type]?.(row)) ?? null
}
