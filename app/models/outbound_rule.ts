import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import type { OutboundRuleKind } from '#enums/trunks'

/** A tenant's allow or deny entry for an E.164 prefix (toll-fraud guard). */
export default class OutboundRule extends compose(BaseModel, BelongsToOrganization) {
  static table = 'outbound_rules'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare kind: OutboundRuleKind

  @column()
  declare prefix: string

  @column()
  declare description: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @column.dateTime({ serializeAs: null })
  declare deletedAt: DateTime | null
}
