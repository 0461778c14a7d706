import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import type { CallDirection, CallStatus } from '#enums/settings'

export default class CallLog extends compose(BaseModel, BelongsToOrganization) {
  static table = 'call_logs'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare callId: string

  @column()
  declare direction: CallDirection

  @column()
  declare fromNumber: string

  @column()
  declare toNumber: string

  @column()
  declare status: CallStatus

  @column.dateTime()
  declare initiatedAt: DateTime

  @column.dateTime()
  declare answeredAt: DateTime | null

  @column.dateTime()
  declare endedAt: DateTime | null

  @column()
  declare durationSeconds: number | null

  /** Billable seconds and disposition from the CDR, the authoritative billing record. */
  @column()
  declare billsecSeconds: number | null

  @column()
  declare disposition: string | null

  @column()
  declare extensionId: number | null

  @column()
  declare phoneNumberId: number | null

  @column({ serializeAs: null })
  declare recordingKey: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
