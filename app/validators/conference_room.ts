import vine from '@vinejs/vine'
import type { OrganizationMeta } from '#validators/helpers/organization'
import { uniqueInOrganization } from '#validators/helpers/organization'
import { listValidator } from '#validators/helpers/listing'

const STATUSES = ['active', 'inactive'] as const
const pin = () =>
  vine
    .string()
    .trim()
    .regex(/^\d{4,10}$/)
    .nullable()
    .optional()

const fields = {
  number: vine
    .string()
    .trim()
    .regex(/^\d{2,6}$/)
    .use(uniqueInOrganization({ table: 'conference_rooms', column: 'number' })),
  name: vine
    .string()
    .trim()
    .minLength(1)
    .maxLength(120)
    .use(
      uniqueInOrganization({ table: 'conference_rooms', column: 'name', caseInsensitive: true }),
    ),
  description: vine.string().trim().maxLength(500).nullable().optional(),
  pin: pin(),
  hostPin: pin(),
  maxParticipants: vine.number().withoutDecimals().range([2, 500]).optional(),
  muteOnEntry: vine.boolean().optional(),
  waitForHost: vine.boolean().optional(),
  record: vine.boolean().optional(),
  announceJoinLeave: vine.boolean().optional(),
  musicOnHold: vine.boolean().optional(),
  status: vine.enum(STATUSES).optional(),
}

export const createConferenceRoomValidator = vine
  .withMetaData<OrganizationMeta>()
  .create(vine.object(fields))

export const updateConferenceRoomValidator = vine.withMetaData<OrganizationMeta>().create(
  vine.object({
    ...fields,
    number: fields.number.clone().optional(),
    name: fields.name.clone().optional(),
  }),
)

export const listConferenceRoomsValidator = listValidator(['number', 'name', 'created_at'], {
  status: vine.enum(STATUSES).optional(),
})
