import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, beforeSave, column } from '@adonisjs/lucid/orm'
import { withAuthFinder } from '@adonisjs/auth/mixins/lucid'

const AuthFinder = withAuthFinder(() => hash.use(), {
  uids: ['email'],
  passwordColumnName: 'password',
})

/** Platform support staff: not a tenant model, so it has no organization. */
export default class StaffUser extends compose(BaseModel, AuthFinder) {
  static table = 'staff_users'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare email: string

  @column({ serializeAs: null })
  declare password: string

  @column()
  declare role: 'support' | 'platform_admin'

  @column()
  declare status: 'active' | 'inactive'

  @column.dateTime()
  declare lastLoginAt: DateTime | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /** Emails are compared case-insensitively everywhere; storing them lower-cased keeps it so. */
  @beforeSave()
  static normalizeEmail(row: { email: string }) {
    row.email = row.email.trim().toLowerCase()
  }
}
