import { DateTime } from 'luxon'
import { BaseModel, beforeCreate, column, hasMany } from '@adonisjs/lucid/orm'
import env from '#start/env'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import type { OrganizationStatus } from '#enums/roles'
import User from '#models/user'
import AuditLog from '#models/audit_log'

export default class Organization extends BaseModel {
  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare slug: string

  @column()
  declare status: OrganizationStatus

  @column()
  declare timezone: string

  /** The SIP domain / digest realm of the tenant's phones (see the 0400 migration). */
  @column()
  declare sipDomain: string

  @column()
  declare settings: Record<string, unknown>

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @column.dateTime()
  declare deletedAt: DateTime | null

  @hasMany(() => User)
  declare users: HasMany<typeof User>

  @hasMany(() => AuditLog)
  declare auditLogs: HasMany<typeof AuditLog>

  get isActive() {
    return this.status === 'active' && this.deletedAt === null
  }

  @beforeCreate()
  static assignSipDomain(organization: Organization) {
    organization.sipDomain ??= `${organization.slug}.${env.get('SIP_DOMAIN_SUFFIX', 'pbx.localhost')}`
    organization.sipDomain = organization.sipDomain.toLowerCase()
  }

  static slugify(name: string) {
    return name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
  }
}
