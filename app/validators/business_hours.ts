import vine from '@vinejs/vine'
import db from '@adonisjs/lucid/services/db'
import { DateTime, IANAZone } from 'luxon'
import type { FieldContext } from '@vinejs/vine/types'
import { uniqueInOrganization, type OrganizationMeta } from '#validators/helpers/organization'
import { listValidator } from '#validators/helpers/listing'
import { sentAsNull } from '#validators/media_rules'
import {
  BUSINESS_HOURS_STATUSES,
  ROUTING_TARGET_TYPES,
  TARGET_TABLES,
  type RoutingTargetType,
  type TimeRange,
} from '#enums/business_hours'
import { minutesOf } from '#services/business_hours/opening'

const INT4_MAX = 2_147_483_647
const START = /^([01]\d|2[0-3]):[0-5]\d$/
/* A range may run to the very end of the day. */
const END = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/
const parentOf = (field: FieldContext) => (field.parent ?? {}) as Record<string, unknown>

const ianaZone = vine.createRule((value: unknown, _: unknown, field: FieldContext) => {
  if (typeof value === 'string' && !IANAZone.isValidZone(value))
    field.report(
      'The {{ field }} must be an IANA time zone such as Europe/London',
      'timezone',
      field,
    )
})

const calendarDate = vine.createRule((value: unknown, _: unknown, field: FieldContext) => {
  if (typeof value === 'string' && !DateTime.fromISO(value).isValid)
    field.report('The {{ field }} is not a real calendar date', 'date', field)
})

const afterStart = vine.createRule((value: unknown, _: unknown, field: FieldContext) => {
  const start = parentOf(field).start
  if (typeof value !== 'string' || typeof start !== 'string' || !START.test(start)) return
  if (minutesOf(value) <= minutesOf(start))
    field.report('The end must be after the start', 'afterStart', field)
})

/** Ranges of one day may touch (12:00–13:00, 13:00–17:00) but not overlap. */
function overlapIn(ranges: TimeRange[]) {
  const sorted = [...ranges].sort((a, b) => minutesOf(a.start) - minutesOf(b.start))
  return sorted.find((r, i) => i > 0 && minutesOf(r.start) < minutesOf(sorted[i - 1].end))
}

const noOverlap = vine.createRule((value: unknown, _: unknown, field: FieldContext) => {
  if (!Array.isArray(value) || !field.isValid) return
  for (let day = 0; day <= 6; day++) {
    const clash = overlapIn(
      (value as (TimeRange & { dayOfWeek: number })[]).filter((r) => r.dayOfWeek === day),
    )
    if (clash) field.report(`Ranges of day ${day} overlap at ${clash.start}`, 'overlap', field)
  }
})

/* Closed days have no ranges; special days need at least one, none overlapping. */
const rangesForKind = vine.createRule((value: unknown, _: unknown, field: FieldContext) => {
  if (!Array.isArray(value) || !field.isValid) return
  const kind = parentOf(field).kind
  if (kind === 'closed' && value.length > 0)
    field.report('A closed day has no {{ field }}', 'prohibited', field)
  else if (kind === 'special' && value.length === 0)
    field.report('A day with special hours needs at least one range', 'required', field)
  else if (overlapIn(value as TimeRange[])) field.report('The ranges overlap', 'overlap', field)
})

const oneExceptionPerDate = vine.createRule((value: unknown, _: unknown, field: FieldContext) => {
  if (!Array.isArray(value) || !field.isValid) return
  const dates = (value as { date: string }[]).map((e) => e.date)
  const repeated = dates.find((d, i) => dates.indexOf(d) !== i)
  if (repeated) field.report(`${repeated} has more than one exception`, 'distinct', field)
})

/** The id must name a live row of the kind the target's type says, in the same organization. */
const targetExists = vine.createRule(async (value: unknown, _: unknown, field: FieldContext) => {
  if (typeof value !== 'number' || !field.isValid) return
  const type = parentOf(field).type as RoutingTargetType
  if (type === 'hangup') {
    field.report('Hanging up needs no {{ field }}', 'prohibited', field)
    return
  }
  const table = TARGET_TABLES[type]
  if (!table) return
  const row = await db
    .from(table)
    .where('organization_id', (field.meta as OrganizationMeta).organizationId)
    .where('id', value)
    .whereNull('deleted_at')
    .first()
  if (!row)
    field.report(
      `The selected ${type.replace('_', ' ')} does not exist`,
      'existsInOrganization',
      field,
    )
})

const range = () =>
  vine.object({
    start: vine.string().trim().regex(START),
    end: vine.string().trim().regex(END).use(afterStart()),
  })

const target = () =>
  vine.object({
    type: vine.enum(ROUTING_TARGET_TYPES),
    id: vine
      .number()
      .withoutDecimals()
      .min(1)
      .max(INT4_MAX)
      .optional()
      .requiredWhen((field) => Object.hasOwn(TARGET_TABLES, parentOf(field).type as string))
      .use(targetExists()),
  })

const name = () =>
  vine
    .string()
    .trim()
    .minLength(1)
    .maxLength(100)
    .use(
      uniqueInOrganization({
        table: 'business_hours_schedules',
        column: 'name',
        caseInsensitive: true,
      }),
    )

const fields = {
  description: vine.string().trim().maxLength(500).nullable().optional(),
  timezone: vine.string().trim().maxLength(64).use(ianaZone()).optional().requiredWhen(sentAsNull),
  status: vine.enum(BUSINESS_HOURS_STATUSES).optional().requiredWhen(sentAsNull),
  /* Sent → replaces every weekly range; absent → kept. */
  rules: vine
    .array(
      vine.object({
        dayOfWeek: vine.number().withoutDecimals().range([0, 6]),
        start: vine.string().trim().regex(START),
        end: vine.string().trim().regex(END).use(afterStart()),
      }),
    )
    .maxLength(100)
    .use(noOverlap())
    .optional()
    .requiredWhen(sentAsNull),
  exceptions: vine
    .array(
      vine.object({
        date: vine
          .string()
          .trim()
          .regex(/^\d{4}-\d{2}-\d{2}$/)
          .use(calendarDate()),
        name: vine.string().trim().minLength(1).maxLength(100),
        kind: vine.enum(['closed', 'special'] as const),
        ranges: vine
          .array(range())
          .maxLength(10)
          .use(rangesForKind())
          .optional()
          .requiredWhen((field) => parentOf(field).kind === 'special'),
      }),
    )
    .maxLength(366)
    .use(oneExceptionPerDate())
    .optional()
    .requiredWhen(sentAsNull),
  openTarget: target().optional().requiredWhen(sentAsNull),
  closedTarget: target().optional().requiredWhen(sentAsNull),
}

export const createBusinessHoursValidator = vine
  .withMetaData<OrganizationMeta>()
  .create(vine.object({ ...fields, name: name() }))

export const updateBusinessHoursValidator = vine
  .withMetaData<OrganizationMeta>()
  .create(vine.object({ ...fields, name: name().optional().requiredWhen(sentAsNull) }))

export const listBusinessHoursValidator = listValidator(['name', 'created_at'], {
  status: vine.enum(BUSINESS_HOURS_STATUSES).optional(),
})

/* Any instant with an offset or Z; without `at` the status is for now. */
export const businessHoursStatusValidator = vine.create({
  at: vine
    .string()
    .trim()
    .use(
      vine.createRule((value: unknown, _: unknown, field: FieldContext) => {
        if (typeof value !== 'string') return
        /* Without an offset the instant would depend on the server's zone. */
        const instant = DateTime.fromISO(value, { setZone: true })
        if (!instant.isValid || !/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(value))
          field.report('The {{ field }} must be an ISO 8601 instant', 'isoInstant', field)
      })(),
    )
    .optional(),
})
