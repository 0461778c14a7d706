import type { DateTime } from 'luxon'
import type OrganizationSetting from '#models/organization_setting'
import type WebhookSecret from '#models/webhook_secret'
import { maskSecret } from '#services/secrets/secret_box'

/** The domain API key never leaves the server: only whether it is set and a masked hint. */
export function serializeSettings(settings: OrganizationSetting) {
  return {
    tenantMode: settings.tenantMode,
    cloudonix: {
      domainUuid: settings.domainUuid,
      domainName: settings.domainName,
      apiKeySet: settings.domainApiKey !== null,
      apiKeyMasked: maskSecret(settings.domainApiKey),
      voiceApplicationId: settings.voiceApplicationId,
      voiceApplicationName: settings.voiceApplicationName,
      noAnswerTimeout: settings.noAnswerTimeout,
    },
    recording: {
      enabled: settings.recordingEnabled,
      format: settings.recordingFormat,
    },
    retention: {
      recordingsDays: settings.recordingRetentionDays,
      voicemailDays: settings.voicemailRetentionDays,
      callLogsDays: settings.callLogRetentionDays,
      auditDays: settings.auditLogRetentionDays,
    },
    tollFraud: {
      enabled: settings.fraudGuardEnabled,
      maxInternationalCallsPerHour: settings.fraudMaxInternationalCallsPerHour,
      maxBillableMinutesPerDay: settings.fraudMaxBillableMinutesPerDay,
      domesticPrefix: settings.fraudDomesticPrefix,
    },
    updatedAt: settings.updatedAt.toISO(),
  }
}

export function serializeWebhookSecret(secret: WebhookSecret, now: DateTime) {
  return {
    id: secret.id,
    maskedValue: maskSecret(secret.secret),
    createdAt: secret.createdAt.toISO(),
    expiresAt: secret.expiresAt?.toISO() ?? null,
    revokedAt: secret.revokedAt?.toISO() ?? null,
    active: secret.isActiveAt(now),
  }
}
