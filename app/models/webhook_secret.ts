import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import { encryptedColumn } from '#services/secrets/secret_box'

export default class WebhookSecret extends compose(BaseModel, BelongsToOrganization) {
  static table = 'webhook_secrets'

  @column({ isPrimary: true })
  declare id: number

  @column(encryptedColumn)
  declare secret: string

  @column.dateTime()
  declare expiresAt: DateTime | null

  @column.dateTime()
  declare revokedAt: DateTime | null

  @column()
  declare createdBy: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  /* A freshly created row has these attributes undefined, not null: test falsiness. */
  isActiveAt(instant: DateTime) {
    return !this.revokedAt && (!this.expiresAt || this.expiresAt > instant)
  }
}
