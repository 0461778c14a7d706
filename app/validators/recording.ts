import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { listValidator } from '#validators/helpers/listing'
import { remoteUrlProblem } from '#services/media/remote_url_guard'
import { sentAsNull } from '#validators/media_rules'

const STATUSES = ['active', 'inactive'] as const
export const MAX_PROMPT_SIZE = '20mb'

const name = () => vine.string().trim().minLength(1).maxLength(120)

/* Resolves the host (IP literals are judged as written): see remote_url_guard.ts. */
const publicHttpUrl = vine.createRule(async (value: unknown, _options, field: FieldContext) => {
  if (typeof value !== 'string' || !field.isValid) return
  const problem = await remoteUrlProblem(value)
  if (problem) field.report(problem, 'publicHttpUrl', field)
})

/** multipart/form-data: `file` (WAV or MP3; the content is checked again by its bytes). */
export const uploadRecordingValidator = vine.create({
  name: name(),
  file: vine.file({ size: MAX_PROMPT_SIZE, extnames: ['wav', 'mp3'] }),
})

export const remoteRecordingValidator = vine.create({
  name: name(),
  remoteUrl: vine
    .string()
    .trim()
    .maxLength(2048)
    .url({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
    .use(publicHttpUrl()),
})

export const updateRecordingValidator = vine.create({
  name: name().optional().requiredWhen(sentAsNull),
  status: vine.enum(STATUSES).optional().requiredWhen(sentAsNull),
})

export const listRecordingsValidator = listValidator(['name', 'created_at', 'size'], {
  kind: vine.enum(['upload', 'remote']).optional(),
  status: vine.enum(STATUSES).optional(),
})
