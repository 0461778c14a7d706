import vine from '@vinejs/vine'
import db from '@adonisjs/lucid/services/db'
import type { FieldContext } from '@vinejs/vine/types'
import { existsInOrganization, type OrganizationMeta } from '#validators/helpers/organization'
import { listValidator } from '#validators/helpers/listing'
import {
  PHONE_NUMBER_STATUSES,
  ROUTING_TYPES,
  type TargetedRoutingType,
} from '#enums/phone_numbers'
import { routingTargetProblem } from '#services/phone_numbers/routing_targets'

const INT4_MAX = 2_147_483_647
/* Strict E.164 for a DID: a country code never starts with 0, and no real DID is < 8 digits. */
export const DID_E164 = /^\+[1-9]\d{7,14}$/

/** "+1 (555) 010-0100" → "+15550100100": what people paste, stored the one way routing reads. */
export function normalizeNumber(value: string) {
  return value.replace(/[\s\-().]/g, '')
}

const e164 = vine.createRule((value: unknown, _: unknown, field: FieldContext) => {
  if (typeof value !== 'string') return
  const normalized = normalizeNumber(value)
  if (!DID_E164.test(normalized)) {
    field.report(
      'The {{ field }} must be in E.164 format: + then 8 to 15 digits, not starting with 0',
      'e164',
      field,
    )
    return
  }
  field.mutate(normalized, field)
})

/*
 * Unique across every organization: the message is the same whoever holds the number, so
 * it reveals neither the tenant nor anything else about it.
 */
const globallyUnique = vine.createRule(async (value: unknown, _: unknown, field: FieldContext) => {
  if (typeof value !== 'string' || !field.isValid) return
  const taken = await db
    .from('phone_numbers')
    .where('number', value)
    .whereNull('deleted_at')
    .select('id')
    .first()
  if (taken) field.report('This phone number is already in use', 'phoneNumberTaken', field)
})

const routingTarget = vine.createRule(async (value: unknown, _: unknown, field: FieldContext) => {
  if (typeof value !== 'number' || !field.isValid) return
  const type = (field.parent as { type?: string })?.type
  if (!type || !(ROUTING_TYPES as readonly string[]).includes(type)) return
  if (type === 'hangup') {
    field.report('Hangup routing takes no {{ field }}', 'routingTarget', field)
    return
  }
  const { organizationId } = field.meta as OrganizationMeta
  const problem = await routingTargetProblem(organizationId, type as TargetedRoutingType, value)
  if (problem) field.report(problem, 'routingTarget', field)
})

const routing = () =>
  vine.object({
    type: vine.enum(ROUTING_TYPES),
    id: vine
      .number()
      .withoutDecimals()
      .min(1)
      .max(INT4_MAX)
      .optional()
      .requiredWhen((field) => (field.parent as { type?: string })?.type !== 'hangup')
      .use(routingTarget()),
  })

const trunkId = () =>
  vine
    .number()
    .withoutDecimals()
    .min(1)
    .max(INT4_MAX)
    .use(existsInOrganization({ table: 'trunks' }))
    .nullable()
    .optional()

const friendlyName = () => vine.string().trim().maxLength(255).nullable().optional()

/** currentNumber: the stored number on update, so echoing it back unchanged is accepted. */
export type PhoneNumberMeta = OrganizationMeta & { currentNumber?: string }

/* The number identifies the DID with the carrier: changing it is a new number, not an edit. */
const immutable = vine.createRule((value: unknown, _: unknown, field: FieldContext) => {
  const current = (field.meta as PhoneNumberMeta).currentNumber
  if (value === undefined || value === null) return
  if (typeof value !== 'string' || normalizeNumber(value.trim()) !== current)
    field.report('The number cannot change: add a new phone number instead', 'immutable', field)
})

export const createPhoneNumberValidator = vine.withMetaData<OrganizationMeta>().compile(
  vine.object({
    number: vine.string().trim().maxLength(32).use(e164()).use(globallyUnique()),
    friendlyName: friendlyName(),
    status: vine.enum(PHONE_NUMBER_STATUSES).optional(),
    trunkId: trunkId(),
    routing: routing(),
  }),
)

export const updatePhoneNumberValidator = vine.withMetaData<PhoneNumberMeta>().compile(
  vine.object({
    number: vine.any().optional().use(immutable()),
    friendlyName: friendlyName(),
    status: vine.enum(PHONE_NUMBER_STATUSES).optional(),
    trunkId: trunkId(),
    routing: routing().optional(),
  }),
)

export const listPhoneNumbersValidator = listValidator(['number', 'created_at'], {
  status: vine.enum(PHONE_NUMBER_STATUSES).optional(),
  routingType: vine.enum(ROUTING_TYPES).optional(),
  trunkId: vine.number().withoutDecimals().min(1).max(INT4_MAX).optional(),
})
