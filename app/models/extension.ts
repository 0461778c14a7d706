import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, belongsTo, column, hasMany, hasOne } from '@adonisjs/lucid/orm'
import type { BelongsTo, HasMany, HasOne } from '@adonisjs/lucid/types/relations'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import User from '#models/user'
import VoicemailBox from '#models/voicemail_box'
import VoicemailMessage from '#models/voicemail_message'
import { encryptedColumn } from '#services/secrets/secret_box'
import {
  defaultFollowMe,
  defaultForwarding,
  type ExtensionStatus,
  type ExtensionType,
  type FollowMe,
  type Forwarding,
} from '#enums/extensions'

export type ExtensionConfiguration = Record<string, string | number | null>

export default class Extension extends compose(BaseModel, BelongsToOrganization) {
  static table = 'extensions'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare userId: number | null

  @belongsTo(() => User)
  declare user: BelongsTo<typeof User>

  @hasOne(() => VoicemailBox)
  declare voicemailBox: HasOne<typeof VoicemailBox>

  @hasMany(() => VoicemailMessage)
  declare voicemailMessages: HasMany<typeof VoicemailMessage>

  @column()
  declare number: string

  @column()
  declare name: string

  @column()
  declare type: ExtensionType

  @column()
  declare status: ExtensionStatus

  @column({ prepare: (value: ExtensionConfiguration) => JSON.stringify(value ?? {}) })
  declare configuration: ExtensionConfiguration

  @column()
  declare sipUsername: string | null

  @column(encryptedColumn)
  declare sipPassword: string | null

  @column()
  declare voicemailEnabled: boolean

  @column()
  declare dndEnabled: boolean

  /* pg returns jsonb parsed; the merge keeps rows written before a rule existed readable. */
  @column({
    prepare: (value: Forwarding) => JSON.stringify(value),
    consume: (value: Forwarding | null) => ({ ...defaultForwarding(), ...value }),
  })
  declare forwarding: Forwarding

  @column({
    prepare: (value: FollowMe) => JSON.stringify(value),
    consume: (value: FollowMe | null) => ({ ...defaultFollowMe(), ...value }),
  })
  declare followMe: FollowMe

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @column.dateTime()
  declare deletedAt: DateTime | null

  /**
   * What the media side dials: a user extension is reached by its number on the tenant's
   * SIP domain; other types only when their configuration names an explicit SIP URI.
   */
  get sipUri(): string | null {
    if (this.type === 'user') return this.number
    const uri = this.configuration?.sip_uri
    return typeof uri === 'string' && uri !== '' ? uri : null
  }

  get hasSipUri() {
    return this.sipUri !== null
  }

  belongsToUser(userId: number) {
    return this.userId !== null && this.userId === userId
  }
}
