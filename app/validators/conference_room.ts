import vine from '@vinejs/vine'
import type { OrganizationMeta } from '#validators/helpers/organization'
import { uniqueInOrganization } from '#validators/helpers/organization'
import { listValidator } from '#validators/helpers/listing'
import { sentAsNull } from '#validators/media_rules'

const STATUSES = ['active', 'inactive'] as const
const pin = () =>
  vine
    .string()
    .trim()
    .regex(/^\d{4,10}$/)
    .nullable()
    .optional()

const number = () =>
  vine
    .string()
    .trim()
    .regex(/^\d{2,6}$/)
    .use(uniqueInOrganization({ table: 'conference_rooms', column: 'number' }))
const name = () =>
  vine
    .string()
    .trim()
    .minLength(1)
    .maxLength(120)
    .use(uniqueInOrganization({ table: 'conference_rooms', column: 'name', caseInsensitive: true }))
const boolean = () => vine.boolean().optional().requiredWhen(sentAsNull)

const fields = {
  description: vine.string().trim().maxLength(500).nullable().optional(),
  pin: pin(),
  hostPin: pin(),
  maxParticipants: vine
    .number()
    .withoutDecimals()
    .range([2, 500])
    .optional()
    .requiredWhen(sentAsNull),
  muteOnEntry: boolean(),
  waitForHost: boolean(),
  record: boolean(),
  announceJoinLeave: boolean(),
  musicOnHold: boolean(),
  status: vine.enum(STATUSES).optional().requiredWhen(sentAsNull),
}

export const createConferenceRoomValidator = vine
  .withMetaData<OrganizationMeta>()
  .create(vine.object({ ...fields, number: number(), name: name() }))

export const updateConferenceRoomValidator = vine.withMetaData<OrganizationMeta>().create(
  vine.object({
    ...fields,
    number: number().optional().requiredWhen(sentAsNull),
    name: name().optional().requiredWhen(sentAsNull),
  }),
)

export const listConferenceRoomsValidator = listValidator(['number', 'name', 'created_at'], {
  status: vine.enum(STATUSES).optional(),
})
