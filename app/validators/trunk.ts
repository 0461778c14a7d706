import vine from '@vinejs/vine'
import { CODECS, TRUNK_KINDS, TRUNK_TRANSPORTS } from '#enums/trunks'
import { listValidator } from '#validators/helpers/listing'
import { uniqueInOrganization, type OrganizationMeta } from '#validators/helpers/organization'
import { cidr, E164, sipHost } from '#validators/rules/network'

/*
 * Field formats only. Which fields a kind requires depends on the stored row as well on
 * update (switching kind, keeping the password), so TrunkDirectory checks that after merging.
 */
const fields = () => ({
  name: vine
    .string()
    .trim()
    .minLength(1)
    .maxLength(100)
    .use(uniqueInOrganization({ table: 'trunks', column: 'name', caseInsensitive: true })),
  kind: vine.enum(TRUNK_KINDS),
  host: sipHost().nullable().optional(),
  port: vine.number().withoutDecimals().range([1, 65535]).optional(),
  transport: vine.enum(TRUNK_TRANSPORTS).optional(),
  username: vine.string().trim().minLength(1).maxLength(128).nullable().optional(),
  password: vine.string().minLength(1).maxLength(128).optional(),
  registerExpiry: vine.number().withoutDecimals().range([60, 3600]).nullable().optional(),
  allowedCidrs: vine.array(cidr()).minLength(1).maxLength(20).distinct().optional(),
  codecs: vine.array(vine.enum(CODECS)).minLength(1).distinct().optional(),
  maxChannels: vine.number().withoutDecimals().range([1, 1000]).nullable().optional(),
  priority: vine.number().withoutDecimals().range([1, 100]).optional(),
  callerIdNumber: vine.string().trim().regex(E164).nullable().optional(),
  passCallerId: vine.boolean().optional(),
  enabled: vine.boolean().optional(),
})

export const createTrunkValidator = vine.withMetaData<OrganizationMeta>().create(fields())

export const updateTrunkValidator = vine.withMetaData<OrganizationMeta>().create({
  ...fields(),
  name: fields().name.optional(),
  kind: vine.enum(TRUNK_KINDS).optional(),
})

export const listTrunksValidator = listValidator(['name', 'priority', 'created_at'], {
  kind: vine.enum(TRUNK_KINDS).optional(),
  enabled: vine.boolean().optional(),
})
