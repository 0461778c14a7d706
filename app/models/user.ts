import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, beforeSave, column } from '@adonisjs/lucid/orm'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'
import { ApiAccessTokensProvider } from '#auth/access_tokens_provider'
import { DbRememberMeTokensProvider } from '@adonisjs/auth/session'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import type { Role, UserStatus } from '#enums/roles'

const AuthFinder = withAuthFinder(() => hash.use(), {
  uids: ['email'],
  passwordColumnName: 'password',
})

export default class User extends compose(BaseModel, AuthFinder, BelongsToOrganization) {
  static table = 'users'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare email: string

  @column({ serializeAs: null })
  declare password: string

  @column()
  declare role: Role

  @column()
  declare status: UserStatus

  @column()
  declare phone: string | null

  @column()
  declare passwordResetRequired: boolean

  @column({ serializeAs: null })
  declare passwordPolicyVersion: number

  @column.dateTime()
  declare passwordChangedAt: DateTime | null

  @column.dateTime()
  declare lastLoginAt: DateTime | null

  @column({ serializeAs: null })
  declare lastLoginIp: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @column.dateTime({ serializeAs: null })
  declare deletedAt: DateTime | null

  static accessTokens = ApiAccessTokensProvider.forModel(User, {
    prefix: 'opbx_',
    table: 'auth_access_tokens',
    type: 'auth_token',
    tokenSecretLength: 40,
  })

  static rememberMeTokens = DbRememberMeTokensProvider.forModel(User)

  get isActive() {
    return this.status === 'active' && this.deletedAt === null
  }

  /** Emails are compared case-insensitively everywhere; storing them lower-cased keeps it so. */
  @beforeSave()
  static normalizeEmail(row: { email: string }) {
    row.email = row.email.trim().toLowerCase()
  }
}
