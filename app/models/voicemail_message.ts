import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column } from '@adonisjs/lucid/orm'
import type { BelongsTo } from '@adonisjs/lucid/types/relations'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import Extension from '#models/extension'

/* Rows are written by the call engine; the API reads, marks, deletes and signs audio. */
export default class VoicemailMessage extends compose(BaseModel, BelongsToOrganization) {
  static table = 'voicemail_messages'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare extensionId: number

  @belongsTo(() => Extension)
  declare extension: BelongsTo<typeof Extension>

  @column()
  declare callerNumber: string | null

  @column()
  declare callerName: string | null

  @column()
  declare durationSeconds: number

  @column({ serializeAs: null })
  declare audioKey: string

  @column()
  declare audioMime: string

  @column.dateTime()
  declare receivedAt: DateTime

  @column.dateTime()
  declare readAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @column.dateTime()
  declare deletedAt: DateTime | null
}
