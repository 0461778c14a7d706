import vine from '@vinejs/vine'
import { RECORDING_FORMATS, TENANT_MODES } from '#enums/settings'

const retentionDays = () => vine.number().withoutDecimals().range([1, 3650]).optional()

/**
 * Partial update: only the keys sent change. `cloudonix.apiKey: null` clears the stored
 * key; the current value is never echoed back, so omitting it keeps it.
 */
export const updateSettingsValidator = vine.create({
  tenantMode: vine.enum(TENANT_MODES).optional(),
  cloudonix: vine
    .object({
      domainUuid: vine.string().trim().uuid().nullable().optional(),
      domainName: vine
        .string()
        .trim()
        .maxLength(255)
        .regex(/^(?=.{1,255}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i)
        .nullable()
        .optional(),
      apiKey: vine.string().trim().minLength(8).maxLength(255).nullable().optional(),
      voiceApplicationId: vine
        .string()
        .trim()
        .regex(/^[A-Za-z0-9-]{1,100}$/)
        .nullable()
        .optional(),
      voiceApplicationName: vine.string().trim().maxLength(255).nullable().optional(),
      noAnswerTimeout: vine.number().withoutDecimals().range([5, 120]).optional(),
    })
    .optional(),
  recording: vine
    .object({
      enabled: vine.boolean().optional(),
      format: vine.enum(RECORDING_FORMATS).optional(),
    })
    .optional(),
  retention: vine
    .object({
      recordingsDays: retentionDays(),
      voicemailDays: retentionDays(),
      callLogsDays: retentionDays(),
      auditDays: retentionDays(),
    })
    .optional(),
  /* Bounds keep the rule meaningful: 0 would suspend on the first call, huge values never. */
  tollFraud: vine
    .object({
      enabled: vine.boolean().optional(),
      maxInternationalCallsPerHour: vine.number().withoutDecimals().range([1, 10_000]).optional(),
      maxBillableMinutesPerDay: vine.number().withoutDecimals().range([1, 100_000]).optional(),
      domesticPrefix: vine
        .string()
        .trim()
        .regex(/^\+[1-9]\d{0,6}$/)
        .nullable()
        .optional(),
    })
    .optional(),
})

/** How long the previous secret keeps verifying after a rotation (default 24 h). */
export const rotateWebhookSecretValidator = vine.create({
  graceHours: vine.number().withoutDecimals().range([1, 168]).optional(),
})
