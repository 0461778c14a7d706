import vine from '@vinejs/vine'
import type { SchemaTypes } from '@vinejs/vine/types'
import { CALL_DIRECTIONS, CALL_STATUSES } from '#enums/settings'
import { dateBound } from '#validators/rules/date_bound'

/* Digits with an optional leading +, and the DTMF-ish characters extensions may use. */
const number = () =>
  vine
    .string()
    .trim()
    .regex(/^[0-9+*#]{1,32}$/)
    .optional()

/*
 * Call history is never soft-deleted (retention removes it), so these lists take no
 * `trashed`; `from`/`to` bound the call's start time, both inclusive.
 */
function callListValidator<Filters extends Record<string, SchemaTypes>>(
  sortable: readonly string[],
  filters: Filters,
) {
  return vine.create({
    page: vine.number().withoutDecimals().min(1).optional(),
    perPage: vine.number().withoutDecimals().range([1, 100]).optional(),
    sort: vine.enum(sortable.flatMap((field) => [field, `-${field}`])).optional(),
    from: dateBound('start').optional(),
    to: dateBound('end', 'from').optional(),
    number: number(),
    extensionId: vine.number().withoutDecimals().min(1).optional(),
    ...filters,
  })
}

export const listCallLogsValidator = callListValidator(['initiated_at', 'duration'], {
  direction: vine.enum(CALL_DIRECTIONS).optional(),
  status: vine.enum(CALL_STATUSES).optional(),
})

/* Cloudonix dispositions are open-ended upper-case words (CONNECTED, BUSY, NOANSWER…). */
export const listCdrsValidator = callListValidator(['session_timestamp', 'duration'], {
  disposition: vine
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z_]{1,50}$/)
    .optional(),
})
