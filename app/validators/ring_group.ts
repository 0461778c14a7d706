import vine from '@vinejs/vine'
import db from '@adonisjs/lucid/services/db'
import type { FieldContext } from '@vinejs/vine/types'
import { uniqueInOrganization, type OrganizationMeta } from '#validators/helpers/organization'
import { listValidator } from '#validators/helpers/listing'
import {
  MAX_RING_GROUP_MEMBERS,
  RING_GROUP_FALLBACKS,
  RING_GROUP_STATUSES,
  RING_GROUP_STRATEGIES,
  type RingGroupFallback,
} from '#enums/ring_groups'

const INT4_MAX = 2_147_483_647
const rowId = () => vine.number().withoutDecimals().min(1).max(INT4_MAX)
const parentOf = (field: FieldContext) => (field.parent ?? {}) as Record<string, unknown>

function liveRow(table: string, field: FieldContext, id: number) {
  return db
    .from(table)
    .where('organization_id', (field.meta as OrganizationMeta).organizationId)
    .where('id', id)
    .whereNull('deleted_at')
    .first()
}

/* Only people answer a ring group: a live, active user extension of the organization. */
const ringableExtension = vine.createRule(
  async (value: unknown, _: unknown, field: FieldContext) => {
    if (typeof value !== 'number' || !field.isValid) return
    const extension = await liveRow('extensions', field, value)
    if (!extension)
      field.report('The selected extension does not exist', 'existsInOrganization', field)
    else if (extension.type !== 'user')
      field.report('Only user extensions can be ring group members', 'userExtension', field)
    else if (extension.status !== 'active')
      field.report('The selected extension is inactive', 'activeExtension', field)
  },
)

/** What each fallback kind must point at; the ring-group cycle check runs in the service. */
const fallbackTarget = vine.createRule(async (value: unknown, _: unknown, field: FieldContext) => {
  if (typeof value !== 'number' || !field.isValid) return
  const action = parentOf(field).fallbackAction as RingGroupFallback | undefined
  const fail = (message: string, rule = 'fallbackTarget') => field.report(message, rule, field)
  if (action === undefined)
    return fail('The fallback action field is required with a fallback target')
  if (action === 'hangup') return fail('A hangup fallback has no target', 'prohibited')
  if (action === 'ring_group' && value === (field.meta as OrganizationMeta).ignoreId)
    return fail('A ring group cannot fall back to itself')
  const table = { extension: 'extensions', voicemail: 'extensions', ring_group: 'ring_groups' }
  const row = await liveRow(table[action as keyof typeof table] ?? 'ivr_menus', field, value)
  if (!row) return fail(`The selected ${field.name} does not exist`, 'existsInOrganization')
  if (action === 'extension' && row.status !== 'active')
    return fail('The fallback extension is inactive')
  if (action === 'voicemail' && !(row.type === 'user' && row.voicemail_enabled))
    return fail('The fallback extension has no voicemail box')
  if (action === 'ring_group' && row.status !== 'active')
    return fail('The fallback ring group is inactive')
})

/* Only a valid kind with a target needs one: an unknown kind is reported on its own. */
const needsTarget = (field: FieldContext) =>
  RING_GROUP_FALLBACKS.some((kind) => kind !== 'hangup' && kind === parentOf(field).fallbackAction)

const members = () =>
  vine
    .array(
      vine.object({
        extensionId: rowId().use(ringableExtension()),
        priority: vine.number().withoutDecimals().range([1, 100]),
      }),
    )
    .minLength(1)
    .maxLength(MAX_RING_GROUP_MEMBERS)
    .distinct('extensionId')
    .distinct('priority')

const name = () =>
  vine
    .string()
    .trim()
    .minLength(2)
    .maxLength(100)
    .use(uniqueInOrganization({ table: 'ring_groups', column: 'name', caseInsensitive: true }))

const fields = {
  description: vine.string().trim().maxLength(1000).nullable().optional(),
  strategy: vine.enum(RING_GROUP_STRATEGIES).optional(),
  timeout: vine.number().withoutDecimals().range([5, 300]).optional(),
  ringTurns: vine.number().withoutDecimals().range([1, 9]).optional(),
  fallbackAction: vine.enum(RING_GROUP_FALLBACKS).optional(),
  fallbackTargetId: rowId()
    .nullable()
    .optional()
    .requiredWhen((field) => needsTarget(field))
    .use(fallbackTarget()),
  status: vine.enum(RING_GROUP_STATUSES).optional(),
}

export const createRingGroupValidator = vine
  .withMetaData<OrganizationMeta>()
  .compile(vine.object({ name: name(), ...fields, members: members() }))

/* PATCH and PUT: what is sent changes; a member list, when sent, replaces the old one. */
export const updateRingGroupValidator = vine
  .withMetaData<OrganizationMeta>()
  .compile(vine.object({ name: name().optional(), ...fields, members: members().optional() }))

export const listRingGroupsValidator = listValidator(['name', 'created_at'], {
  status: vine.enum(RING_GROUP_STATUSES).optional(),
  strategy: vine.enum(RING_GROUP_STRATEGIES).optional(),
})
