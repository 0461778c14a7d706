import db from '@adonisjs/lucid/services/db'
import RingGroup from '#models/ring_group'
import type Organization from '#models/organization'
import type Extension from '#models/extension'

let sequence = 0

/**
 * A ring group written straight to the database (what the API would have created), with
 * the given extensions as members at priorities 1, 2, 3…
 */
export async function makeRingGroup(
  organization: Organization,
  members: Extension[] = [],
  overrides: Partial<RingGroup> = {},
) {
  sequence += 1
  const group = await RingGroup.create({
    organizationId: organization.id,
    name: `Group ${sequence}`,
    description: null,
    strategy: 'simultaneous',
    timeout: 30,
    ringTurns: 1,
    fallbackAction: 'hangup',
    status: 'active',
    ...overrides,
  })
  if (members.length > 0) {
    await db.table('ring_group_members').multiInsert(
      members.map((extension, index) => ({
        organization_id: organization.id,
        ring_group_id: group.id,
        extension_id: extension.id,
        priority: index + 1,
        created_at: new Date(),
        updated_at: new Date(),
      })),
    )
  }
  return group
}

/** The stored member list of a group in ring order, as [extensionId, priority] pairs. */
export async function storedMembers(ringGroupId: number) {
  const rows = await db
    .from('ring_group_members')
    .where('ring_group_id', ringGroupId)
    .orderBy('priority')
    .select('extension_id', 'priority')
  return rows.map((row) => [row.extension_id, row.priority])
}

export async function makeIvrMenu(organization: Organization, name = 'Main menu') {
  const [row] = await db
    .table('ivr_menus')
    .insert({
      organization_id: organization.id,
      name,
      created_at: new Date(),
      updated_at: new Date(),
    })
    .returning('id')
  return row.id as number
}

export const fieldsOf = (body: { error: { details: { fields: { field: string }[] } } }) =>
  body.error.details.fields.map((f) => f.field)
