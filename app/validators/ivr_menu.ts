import vine from '@vinejs/vine'
import db from '@adonisjs/lucid/services/db'
import type { FieldContext } from '@vinejs/vine/types'
import { uniqueInOrganization, type OrganizationMeta } from '#validators/helpers/organization'
import { listValidator } from '#validators/helpers/listing'
import { sentAsNull } from '#validators/media_rules'
import {
  IVR_DIGITS,
  IVR_MENU_STATUSES,
  IVR_TARGET_TYPES,
  MAX_IVR_OPTIONS,
  TARGET_TABLES,
  type IvrTargetType,
} from '#enums/ivr'

const INT4_MAX = 2_147_483_647
const parentOf = (field: FieldContext) => (field.parent ?? {}) as Record<string, unknown>
const organizationOf = (field: FieldContext) => (field.meta as OrganizationMeta).organizationId

/* A prompt the caller cannot hear is useless: the recording must be live and active. */
const playableRecording = vine.createRule(
  async (value: unknown, _: unknown, field: FieldContext) => {
    if (typeof value !== 'number' || !field.isValid) return
    const row = await db
      .from('recordings')
      .where('organization_id', organizationOf(field))
      .where('id', value)
      .whereNull('deleted_at')
      .first()
    if (!row) field.report('The selected recording does not exist', 'existsInOrganization', field)
    else if (row.status !== 'active')
      field.report('The selected recording is not active', 'activeRecording', field)
  },
)

/* Recording or TTS text, never both: which one would the caller hear? */
const notWithRecording = vine.createRule((value: unknown, _: unknown, field: FieldContext) => {
  const recordingId = parentOf(field).recordingId
  if (value !== undefined && value !== null && recordingId !== undefined && recordingId !== null)
    field.report('Give either a recording or TTS text, not both', 'exactlyOne', field)
})

/*
 * The target id is checked against the table of its type, scoped to the organization.
 * Voicemail names an extension whose mailbox is switched on.
 */
const targetExists = vine.createRule(async (value: unknown, _: unknown, field: FieldContext) => {
  if (!field.isValid) return
  const type = parentOf(field).type as IvrTargetType | undefined
  if (!type || !IVR_TARGET_TYPES.includes(type)) return
  if (type === 'hangup') {
    if (value !== undefined && value !== null)
      field.report('A hangup target takes no id', 'prohibited', field)
    return
  }
  if (typeof value !== 'number') return
  const query = db
    .from(TARGET_TABLES[type])
    .where('organization_id', organizationOf(field))
    .where('id', value)
    .whereNull('deleted_at')
  if (type === 'voicemail') query.where('voicemail_enabled', true)
  if (!(await query.first())) {
    const what = type === 'voicemail' ? 'extension with voicemail' : type.replace('_', ' ')
    field.report(`The selected ${what} does not exist`, 'existsInOrganization', field)
  }
})

const needsId = (field: FieldContext) => parentOf(field).type !== 'hangup'

const target = () =>
  vine.object({
    type: vine.enum(IVR_TARGET_TYPES),
    id: vine
      .number()
      .withoutDecimals()
      .min(1)
      .max(INT4_MAX)
      .nullable()
      .optional()
      .requiredWhen(needsId)
      .use(targetExists()),
  })

const prompt = () =>
  vine.object({
    recordingId: vine
      .number()
      .withoutDecimals()
      .min(1)
      .max(INT4_MAX)
      .nullable()
      .optional()
      .requiredIfMissing('ttsText')
      .use(playableRecording()),
    ttsText: vine
      .string()
      .trim()
      .minLength(1)
      .maxLength(1000)
      .nullable()
      .optional()
      .use(notWithRecording()),
    ttsVoice: vine.string().trim().maxLength(60).nullable().optional(),
    ttsLanguage: vine
      .string()
      .trim()
      .regex(/^[a-z]{2,3}(-[A-Za-z]{2,4})?$/)
      .nullable()
      .optional(),
  })

const option = () =>
  vine.object({
    digit: vine.enum(IVR_DIGITS),
    description: vine.string().trim().maxLength(255).nullable().optional(),
    target: target(),
  })

const name = () =>
  vine
    .string()
    .trim()
    .minLength(1)
    .maxLength(120)
    .use(uniqueInOrganization({ table: 'ivr_menus', column: 'name', caseInsensitive: true }))

const fields = () => ({
  description: vine.string().trim().maxLength(500).nullable().optional(),
  invalidPrompt: prompt().nullable().optional(),
  timeoutPrompt: prompt().nullable().optional(),
  firstDigitTimeout: vine.number().withoutDecimals().range([1, 30]).optional(),
  interDigitTimeout: vine.number().withoutDecimals().range([1, 10]).optional(),
  maxRetries: vine.number().withoutDecimals().range([1, 9]).optional(),
  failover: target().optional(),
  status: vine.enum(IVR_MENU_STATUSES).optional(),
  options: vine.array(option()).maxLength(MAX_IVR_OPTIONS).distinct('digit').optional(),
})

/* Columns that cannot be empty: on update, absent keeps the value but null is a 422. */
function updateFields() {
  const base = fields()
  return {
    ...base,
    firstDigitTimeout: base.firstDigitTimeout.requiredWhen(sentAsNull),
    interDigitTimeout: base.interDigitTimeout.requiredWhen(sentAsNull),
    maxRetries: base.maxRetries.requiredWhen(sentAsNull),
    failover: base.failover.requiredWhen(sentAsNull),
    status: base.status.requiredWhen(sentAsNull),
    options: base.options.requiredWhen(sentAsNull),
  }
}

export const createIvrMenuValidator = vine
  .withMetaData<OrganizationMeta>()
  .create(vine.object({ ...fields(), name: name(), prompt: prompt() }))

/* PATCH: absent keeps; sent options replace the whole set; null clears only optional prompts. */
export const updateIvrMenuValidator = vine.withMetaData<OrganizationMeta>().create(
  vine.object({
    ...updateFields(),
    name: name().optional().requiredWhen(sentAsNull),
    prompt: prompt().optional().requiredWhen(sentAsNull),
  }),
)

export const listIvrMenusValidator = listValidator(['name', 'created_at'], {
  status: vine.enum(IVR_MENU_STATUSES).optional(),
})
