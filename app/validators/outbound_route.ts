import vine from '@vinejs/vine'
import { listValidator } from '#validators/helpers/listing'
import {
  existsInOrganization,
  uniqueInOrganization,
  type OrganizationMeta,
} from '#validators/helpers/organization'

/* Digits, optionally after a leading "+"; a lone "+" is a valid prefix and prepend. */
/* Ids beyond int4 would reach PostgreSQL as an error (500) instead of failing validation. */
const INT4_MAX = 2_147_483_647

const DIAL_STRING = /^(?:\+\d{0,15}|\d{1,15})$/

const fields = () => ({
  name: vine
    .string()
    .trim()
    .minLength(1)
    .maxLength(100)
    .use(uniqueInOrganization({ table: 'outbound_routes', column: 'name', caseInsensitive: true })),
  prefix: vine.string().trim().regex(DIAL_STRING).nullable().optional(),
  minLength: vine.number().withoutDecimals().range([1, 20]).nullable().optional(),
  maxLength: vine.number().withoutDecimals().range([1, 20]).nullable().optional(),
  stripDigits: vine.number().withoutDecimals().range([0, 10]).optional(),
  prepend: vine.string().trim().regex(DIAL_STRING).nullable().optional(),
  priority: vine.number().withoutDecimals().range([1, 100]).optional(),
  enabled: vine.boolean().optional(),
  /* Ordered: the first trunk is tried first, the next ones on failure. */
  trunkIds: vine
    .array(
      vine
        .number()
        .withoutDecimals()
        .range([1, INT4_MAX])
        .use(existsInOrganization({ table: 'trunks' })),
    )
    .minLength(1)
    .maxLength(10)
    .distinct(),
})

export const createOutboundRouteValidator = vine.withMetaData<OrganizationMeta>().create(fields())

export const updateOutboundRouteValidator = vine.withMetaData<OrganizationMeta>().create({
  ...fields(),
  name: fields().name.optional(),
  trunkIds: fields().trunkIds.optional(),
})

export const listOutboundRoutesValidator = listValidator(['name', 'priority', 'created_at'], {
  enabled: vine.boolean().optional(),
  trunkId: vine.number().withoutDecimals().range([1, INT4_MAX]).optional(),
})

/* Separators people type ("+44 20 7946-0000") are accepted; 2–20 digits in all. */
export const resolveOutboundValidator = vine.create({
  number: vine
    .string()
    .trim()
    .maxLength(40)
    .regex(/^\+?(?:[\s().-]*\d){2,20}[\s().-]*$/),
})
