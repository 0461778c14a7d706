import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import { encryptedColumn } from '#services/secrets/secret_box'
import type { RecordingFormat, TenantMode } from '#enums/settings'

export default class OrganizationSetting extends compose(BaseModel, BelongsToOrganization) {
  static table = 'organization_settings'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare tenantMode: TenantMode

  @column()
  declare domainUuid: string | null

  @column()
  declare domainName: string | null

  @column(encryptedColumn)
  declare domainApiKey: string | null

  @column()
  declare voiceApplicationId: string | null

  @column()
  declare voiceApplicationName: string | null

  @column()
  declare noAnswerTimeout: number

  /* Requests a minute per source IP on /api/webhooks and /api/voice; null: platform default. */
  @column()
  declare webhookRateLimit: number | null

  @column()
  declare voiceRateLimit: number | null

  @column()
  declare recordingEnabled: boolean

  @column()
  declare recordingFormat: RecordingFormat

  @column()
  declare recordingRetentionDays: number

  @column()
  declare voicemailRetentionDays: number

  @column()
  declare callLogRetentionDays: number

  @column()
  declare auditLogRetentionDays: number

  /* The toll-fraud velocity/spend rule (app/services/fraud/toll_fraud_guard.ts). */
  @column()
  declare fraudGuardEnabled: boolean

  @column()
  declare fraudMaxInternationalCallsPerHour: number

  @column()
  declare fraudMaxBillableMinutesPerDay: number

  @column()
  declare fraudDomesticPrefix: string | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime
}
