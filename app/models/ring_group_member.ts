import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import Extension from '#models/extension'

/** One user extension rung by a ring group; a lower priority rings first. */
export default class RingGroupMember extends compose(BaseModel, BelongsToOrganization) {
  static table = 'ring_group_members'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare ringGroupId: number

  @column()
  declare extensionId: number

  @belongsTo(() => Extension)
  declare extension: BelongsTo<typeof Extension>

  @column()
  declare priority: number

  @column.dateTime()
  declare lastOfferedAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
