import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import { encryptedColumn } from '#services/secrets/secret_box'

export type ConferenceRoomStatus = 'active' | 'inactive'

export default class ConferenceRoom extends compose(BaseModel, BelongsToOrganization) {
  static table = 'conference_rooms'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare number: string

  @column()
  declare name: string

  @column()
  declare description: string | null

  /* Encrypted rather than hashed: the media engine compares the digits a caller types. */
  @column(encryptedColumn)
  declare pin: string | null

  @column(encryptedColumn)
  declare hostPin: string | null

  @column()
  declare maxParticipants: number

  @column()
  declare muteOnEntry: boolean

  @column()
  declare waitForHost: boolean

  @column()
  declare record: boolean

  @column()
  declare announceJoinLeave: boolean

  @column()
  declare musicOnHold: boolean

  @column()
  declare status: ConferenceRoomStatus

  @column()
  declare createdBy: number | null

  @column()
  declare updatedBy: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @column.dateTime()
  declare deletedAt: DateTime | null
}
