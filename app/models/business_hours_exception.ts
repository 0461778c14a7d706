import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import type { ExceptionKind, TimeRange } from '#enums/business_hours'

const pad = (n: number) => String(n).padStart(2, '0')

/*
 * node-postgres turns a DATE into a Date at local midnight; reading it back with local getters
 * gives the stored calendar date whatever the process time zone is.
 */
function consumeDate(value: unknown) {
  if (!(value instanceof Date)) return value as string
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`
}

/** A holiday or special day: the schedule is closed, or open only in its own ranges. */
export default class BusinessHoursException extends compose(BaseModel, BelongsToOrganization) {
  static table = 'business_hours_exceptions'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare scheduleId: number

  /** The calendar date in the schedule's time zone, "YYYY-MM-DD". */
  @column({ consume: consumeDate })
  declare date: string

  @column()
  declare name: string

  @column()
  declare kind: ExceptionKind

  /* Stringified: knex would send a JS array as a PostgreSQL array, not as JSON. */
  @column({ prepare: (value: TimeRange[]) => JSON.stringify(value ?? []) })
  declare ranges: TimeRange[]

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
