import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, manyToMany } from '@adonisjs/lucid/orm'
import type { ManyToMany } from '@adonisjs/lucid/types/relations'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import Trunk from '#models/trunk'

/** Which dialled numbers go out through which trunks, tried in the route's list order. */
export default class OutboundRoute extends compose(BaseModel, BelongsToOrganization) {
  static table = 'outbound_routes'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare prefix: string | null

  @column()
  declare minLength: number | null

  @column()
  declare maxLength: number | null

  @column()
  declare stripDigits: number

  @column()
  declare prepend: string | null

  @column()
  declare priority: number

  @column()
  declare enabled: boolean

  @manyToMany(() => Trunk, {
    pivotTable: 'outbound_route_trunks',
    pivotForeignKey: 'outbound_route_id',
    pivotRelatedForeignKey: 'trunk_id',
    pivotColumns: ['position'],
    onQuery: (query) => query.orderBy('outbound_route_trunks.position'),
  })
  declare trunks: ManyToMany<typeof Trunk>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @column.dateTime({ serializeAs: null })
  declare deletedAt: DateTime | null
}
