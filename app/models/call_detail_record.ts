import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'

/* PostgreSQL numeric and bigint arrive as strings; the API exposes numbers. */
const numeric = {
  consume: (value: string | number | null) => (value === null ? null : Number(value)),
}

export default class CallDetailRecord extends compose(BaseModel, BelongsToOrganization) {
  static table = 'call_detail_records'

  @column({ isPrimary: true })
  declare id: number

  @column.dateTime()
  declare sessionTimestamp: DateTime

  @column()
  declare sessionToken: string | null

  @column(numeric)
  declare sessionId: number | null

  @column()
  declare callId: string

  @column()
  declare from: string

  @column()
  declare to: string

  @column()
  declare disposition: string

  @column()
  declare duration: number

  @column()
  declare billsec: number

  @column()
  declare domain: string | null

  @column()
  declare subscriber: string | null

  @column()
  declare cxTrunkId: number | null

  @column()
  declare application: string | null

  @column()
  declare route: string | null

  @column(numeric)
  declare ratedCost: number | null

  @column(numeric)
  declare approxCost: number | null

  @column(numeric)
  declare sellCost: number | null

  @column()
  declare vappServer: string | null

  @column.dateTime()
  declare callStartTime: DateTime | null

  @column.dateTime()
  declare callAnswerTime: DateTime | null

  @column.dateTime()
  declare callEndTime: DateTime | null

  @column()
  declare status: string | null

  @column()
  declare extensionId: number | null

  @column()
  declare rawCdr: Record<string, unknown>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
