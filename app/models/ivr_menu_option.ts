import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import type { IvrTargetType } from '#enums/ivr'

/** One key of a menu and where it sends the caller; always a row id, never a number. */
export default class IvrMenuOption extends compose(BaseModel, BelongsToOrganization) {
  static table = 'ivr_menu_options'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare ivrMenuId: number

  @column()
  declare digit: string

  @column()
  declare description: string | null

  @column()
  declare targetType: IvrTargetType

  @column()
  declare targetId: number | null

  @column()
  declare position: number

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
