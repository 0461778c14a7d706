import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'

/** One opening range of one weekday (0 = Sunday); a day may have several. */
export default class BusinessHoursRule extends compose(BaseModel, BelongsToOrganization) {
  static table = 'business_hours_rules'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare scheduleId: number

  @column()
  declare dayOfWeek: number

  @column()
  declare startTime: string

  @column()
  declare endTime: string

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
