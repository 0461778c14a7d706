import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import type { PhoneNumberStatus, RoutingType } from '#enums/phone_numbers'

/** A DID: an E.164 number delivered to this organization and where its calls go. */
export default class PhoneNumber extends compose(BaseModel, BelongsToOrganization) {
  static table = 'phone_numbers'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare number: string

  @column()
  declare friendlyName: string | null

  @column()
  declare status: PhoneNumberStatus

  @column()
  declare trunkId: number | null

  @column()
  declare routingType: RoutingType

  @column()
  declare routingTargetId: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @column.dateTime()
  declare deletedAt: DateTime | null

  get isActive() {
    return this.status === 'active'
  }
}
