import { DateTime } from 'luxon'
import { BaseModel, column } from '@adonisjs/lucid/orm'

/**
 * Not composed with BelongsToOrganization because platform events (staff sign-in) have
 * no organization. Tenant reads go through organization.related('auditLogs').
 */
export default class AuditLog extends BaseModel {
  static table = 'audit_logs'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare organizationId: number | null

  @column()
  declare actorUserId: number | null

  @column()
  declare impersonatorStaffId: number | null

  @column()
  declare action: string

  @column()
  declare subjectType: string | null

  @column()
  declare subjectId: string | null

  @column()
  declare before: Record<string, unknown> | null

  @column()
  declare after: Record<string, unknown> | null

  @column()
  declare metadata: Record<string, unknown> | null

  @column()
  declare ip: string | null

  @column()
  declare userAgent: string | null

  @column()
  declare requestId: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime
}
