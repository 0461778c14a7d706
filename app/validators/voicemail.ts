import vine from '@vinejs/vine'
import { listValidator } from '#validators/helpers/listing'

/* A PIN is digits only (typed on a phone keypad); null removes it. */
export const updateVoicemailBoxValidator = vine.create({
  pin: vine
    .string()
    .regex(/^\d{4,10}$/)
    .nullable()
    .optional(),
  email: vine.string().trim().email().maxLength(254).nullable().optional(),
  notify: vine.boolean().optional(),
  attachAudio: vine.boolean().optional(),
  retentionDays: vine.number().withoutDecimals().range([1, 365]).optional(),
  maxMessages: vine.number().withoutDecimals().range([1, 1000]).optional(),
})

/* The extension name is checked too; the content itself is checked by its magic bytes. */
export const greetingValidator = vine.create({
  greeting: vine.file({ size: '5mb', extnames: ['wav'] }),
})

export const listVoicemailMessagesValidator = listValidator(['received_at'], {
  read: vine.boolean().optional(),
})

export const updateVoicemailMessageValidator = vine.create({
  read: vine.boolean(),
})
