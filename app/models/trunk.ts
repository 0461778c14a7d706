import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import { encryptedColumn } from '#services/secrets/secret_box'
import type { Codec, TrunkKind, TrunkTransport } from '#enums/trunks'

/** A SIP trunk: either registering to a provider, or authenticated by the provider's IPs. */
export default class Trunk extends compose(BaseModel, BelongsToOrganization) {
  static table = 'trunks'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare kind: TrunkKind

  @column()
  declare host: string | null

  @column()
  declare port: number

  @column()
  declare transport: TrunkTransport

  @column()
  declare username: string | null

  @column(encryptedColumn)
  declare password: string | null

  @column()
  declare registerExpiry: number | null

  @column({ prepare: (value: string[]) => JSON.stringify(value) })
  declare allowedCidrs: string[]

  @column({ prepare: (value: Codec[]) => JSON.stringify(value) })
  declare codecs: Codec[]

  @column()
  declare maxChannels: number | null

  @column()
  declare priority: number

  @column()
  declare callerIdNumber: string | null

  @column()
  declare passCallerId: boolean

  @column()
  declare enabled: boolean

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @column.dateTime({ serializeAs: null })
  declare deletedAt: DateTime | null
}
