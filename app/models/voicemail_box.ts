import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import Extension from '#models/extension'

export default class VoicemailBox extends compose(BaseModel, BelongsToOrganization) {
  static table = 'voicemail_boxes'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare extensionId: number

  @belongsTo(() => Extension)
  declare extension: BelongsTo<typeof Extension>

  @column({ serializeAs: null })
  declare pinHash: string | null

  @column()
  declare email: string | null

  @column()
  declare notify: boolean

  @column()
  declare attachAudio: boolean

  @column()
  declare retentionDays: number

  @column()
  declare maxMessages: number

  @column()
  declare greetingKey: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
