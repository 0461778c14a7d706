import type OrganizationSetting from '#models/organization_setting'
import type { RecordingFormat, TenantMode } from '#enums/settings'

type Nullable<T> = { [K in keyof T]?: T[K] | null }

export type UpdateSettingsInput = {
  tenantMode?: TenantMode
  cloudonix?: Nullable<{
    domainUuid: string
    domainName: string
    apiKey: string
    voiceApplicationId: string
    voiceApplicationName: string
  }> & { noAnswerTimeout?: number }
  recording?: { enabled?: boolean; format?: RecordingFormat }
  retention?: {
    recordingsDays?: number
    voicemailDays?: number
    callLogsDays?: number
    auditDays?: number
  }
  tollFraud?: {
    enabled?: boolean
    maxInternationalCallsPerHour?: number
    maxBillableMinutesPerDay?: number
    domesticPrefix?: string | null
  }
}

/** The API's nested shape → the row's columns; undefined keys are left alone by merge. */
export function toColumns(input: UpdateSettingsInput): Partial<OrganizationSetting> {
  const { cloudonix: c = {}, recording: r = {}, retention: k = {}, tollFraud: f = {} } = input
  const columns = {
    tenantMode: input.tenantMode,
    domainUuid: c.domainUuid,
    domainName: c.domainName,
    domainApiKey: c.apiKey,
    voiceApplicationId: c.voiceApplicationId,
    voiceApplicationName: c.voiceApplicationName,
    noAnswerTimeout: c.noAnswerTimeout,
    recordingEnabled: r.enabled,
    recordingFormat: r.format,
    recordingRetentionDays: k.recordingsDays,
    voicemailRetentionDays: k.voicemailDays,
    callLogRetentionDays: k.callLogsDays,
    auditLogRetentionDays: k.auditDays,
    fraudGuardEnabled: f.enabled,
    fraudMaxInternationalCallsPerHour: f.maxInternationalCallsPerHour,
    fraudMaxBillableMinutesPerDay: f.maxBillableMinutesPerDay,
    fraudDomesticPrefix: f.domesticPrefix,
  }
  return Object.fromEntries(Object.entries(columns).filter(([, v]) => v !== undefined))
}
