import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import db from '@adonisjs/lucid/services/db'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import RingGroupMember from '#models/ring_group_member'
import type { RingGroupFallback, RingGroupStatus, RingGroupStrategy } from '#enums/ring_groups'

/** Extensions rung together or in turn for one call, with somewhere to go when nobody answers. */
export default class RingGroup extends compose(BaseModel, BelongsToOrganization) {
  static table = 'ring_groups'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare description: string | null

  @column()
  declare strategy: RingGroupStrategy

  @column()
  declare timeout: number

  @column()
  declare ringTurns: number

  @column()
  declare fallbackAction: RingGroupFallback

  @column()
  declare fallbackExtensionId: number | null

  @column()
  declare fallbackRingGroupId: number | null

  @column()
  declare fallbackIvrMenuId: number | null

  @column()
  declare status: RingGroupStatus

  /* The fencing token of the lock the last write ran under (bigint, read back as a number). */
  @column({ consume: (value) => Number(value) })
  declare fenceToken: number

  /* Ring order: priority, then the older membership first on equal priority. */
  @hasMany(() => RingGroupMember, {
    onQuery: (query) => query.orderBy('priority').orderBy('id'),
  })
  declare members: HasMany<typeof RingGroupMember>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @column.dateTime()
  declare deletedAt: DateTime | null

  /** The id the fallback points at, whichever kind it is (null for hangup). */
  get fallbackTargetId(): number | null {
    switch (this.fallbackAction) {
      case 'extension':
      case 'voicemail':
        return this.fallbackExtensionId
      case 'ring_group':
        return this.fallbackRingGroupId
      case 'ivr_menu':
        return this.fallbackIvrMenuId
      default:
        return null
    }
  }

  /**
   * Members that can take a call right now: their extension is live, active and still a
   * user extension (its type or status may have changed since it joined).
   */
  async activeMemberCount(client: QueryClientContract = db.connection()) {
    const row = await client
      .from('ring_group_members')
      .join('extensions', 'extensions.id', 'ring_group_members.extension_id')
      .where('ring_group_members.ring_group_id', this.id)
      .where('extensions.organization_id', this.organizationId)
      .where('extensions.type', 'user')
      .where('extensions.status', 'active')
      .whereNull('extensions.deleted_at')
      .count('* as total')
      .first()
    return Number(row?.total ?? 0)
  }
}
