import vine from '@vinejs/vine'
import { DateTime } from 'luxon'
import type { FieldContext } from '@vinejs/vine/types'

type Edge = 'start' | 'end'

/**
 * A day ("2026-03-01", UTC) or an ISO-8601 instant with offset. As a range end a bare day
 * means "through the end of that day", which is what someone filtering by date expects.
 */
export function parseBound(value: string, edge: Edge): DateTime | null {
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(value)
  const parsed = DateTime.fromISO(value, { zone: 'utc', setZone: true })
  if (!parsed.isValid) return null
  if (!dayOnly) return parsed.toUTC()
  return edge === 'start' ? parsed.startOf('day') : parsed.endOf('day')
}

const dateBoundRule = vine.createRule(
  (value: unknown, options: { edge: Edge; after?: string }, field: FieldContext) => {
    if (typeof value !== 'string') return
    const bound = parseBound(value, options.edge)
    if (!bound) {
      field.report(
        'The {{ field }} must be a date (YYYY-MM-DD) or an ISO-8601 instant',
        'date',
        field,
      )
      return
    }
    const other = options.after ? field.parent?.[options.after] : undefined
    const start = typeof other === 'string' ? parseBound(other, 'start') : null
    if (start && bound < start)
      field.report(`The {{ field }} must not be before ${options.after}`, 'afterOrSameAs', field)
  },
)

/** The validated value stays the text; services convert it with parseBound. */
export function dateBound(edge: Edge, after?: string) {
  return vine.string().trim().maxLength(40).use(dateBoundRule({ edge, after }))
}
