import db from '@adonisjs/lucid/services/db'
import type Organization from '#models/organization'
import PhoneNumber from '#models/phone_number'
import { makeExtension } from '#tests/functional/extensions/support'

let sequence = 0
const next = () => (sequence += 1)

/* Rows of other areas written straight to their tables (what their APIs would have made). */
async function insert(table: string, values: Record<string, unknown>) {
  const now = new Date()
  const [row] = await db
    .table(table)
    .insert({ ...values, created_at: now, updated_at: now })
    .returning('id')
  return row.id as number
}

export const makeTrunk = (organization: Organization, name = `Carrier ${next()}`) =>
  insert('trunks', { organization_id: organization.id, name, kind: 'ip', codecs: '["PCMU"]' })

export const makeIvrMenu = (organization: Organization, overrides: Record<string, unknown> = {}) =>
  insert('ivr_menus', { organization_id: organization.id, name: `Menu ${next()}`, ...overrides })

export const makeSchedule = (organization: Organization, overrides: Record<string, unknown> = {}) =>
  insert('business_hours_schedules', {
    organization_id: organization.id,
    name: `Hours ${next()}`,
    timezone: 'Europe/Berlin',
    ...overrides,
  })

export const makeRoom = (organization: Organization, overrides: Record<string, unknown> = {}) =>
  insert('conference_rooms', {
    organization_id: organization.id,
    number: String(800 + next()),
    name: `Room ${next()}`,
    ...overrides,
  })

/** A ring group with the given member extensions (none: an empty group). */
export async function makeRingGroup(
  organization: Organization,
  memberIds: number[] = [],
  overrides: Record<string, unknown> = {},
) {
  const id = await insert('ring_groups', {
    organization_id: organization.id,
    name: `Group ${next()}`,
    ...overrides,
  })
  for (const [index, extensionId] of memberIds.entries()) {
    await insert('ring_group_members', {
      organization_id: organization.id,
      ring_group_id: id,
      extension_id: extensionId,
      priority: index + 1,
    })
  }
  return id
}

/** A ring group with one active user extension as member. */
export async function makeStaffedRingGroup(organization: Organization) {
  const member = await makeExtension(organization)
  return makeRingGroup(organization, [member.id])
}

let numberSequence = 1000
export function makePhoneNumber(organization: Organization, overrides: Partial<PhoneNumber> = {}) {
  numberSequence += 1
  return PhoneNumber.create({
    organizationId: organization.id,
    number: `+4930${String(numberSequence).padStart(7, '0')}`,
    friendlyName: null,
    status: 'active',
    trunkId: null,
    routingType: 'hangup',
    routingTargetId: null,
    ...overrides,
  })
}
