import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import BusinessHoursRule from '#models/business_hours_rule'
import BusinessHoursException from '#models/business_hours_exception'
import type { BusinessHoursStatus, RoutingTarget, RoutingTargetType } from '#enums/business_hours'
import { evaluateOpening } from '#services/business_hours/opening'

export default class BusinessHoursSchedule extends compose(BaseModel, BelongsToOrganization) {
  static table = 'business_hours_schedules'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare description: string | null

  /** IANA zone the weekly ranges and exception dates are read in (OPBX had none). */
  @column()
  declare timezone: string

  @column()
  declare status: BusinessHoursStatus

  @column()
  declare openTargetType: RoutingTargetType

  @column()
  declare openTargetId: number | null

  @column()
  declare closedTargetType: RoutingTargetType

  @column()
  declare closedTargetId: number | null

  @hasMany(() => BusinessHoursRule, { foreignKey: 'scheduleId' })
  declare rules: HasMany<typeof BusinessHoursRule>

  @hasMany(() => BusinessHoursException, { foreignKey: 'scheduleId' })
  declare exceptions: HasMany<typeof BusinessHoursException>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @column.dateTime()
  declare deletedAt: DateTime | null

  get openTarget(): RoutingTarget {
    return { type: this.openTargetType, id: this.openTargetId ?? null }
  }

  get closedTarget(): RoutingTarget {
    return { type: this.closedTargetType, id: this.closedTargetId ?? null }
  }

  /** Pure (no queries): rules and exceptions must be preloaded. */
  isOpenAt(instant: DateTime | Date) {
    return this.evaluateAt(instant).open
  }

  evaluateAt(instant: DateTime | Date) {
    return evaluateOpening(
      {
        timezone: this.timezone,
        rules: this.rules.map((r) => ({
          dayOfWeek: r.dayOfWeek,
          start: r.startTime,
          end: r.endTime,
        })),
        exceptions: this.exceptions.map((e) => ({ date: e.date, kind: e.kind, ranges: e.ranges })),
      },
      instant,
    )
  }
}
