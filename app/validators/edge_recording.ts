import vine from '@vinejs/vine'

/* Query of POST /api/edge/recordings: which tenant and call a finished <Record> belongs to. */
export const edgeRecordingValidator = vine.create({
  organizationId: vine.number().withoutDecimals().min(1),
  callId: vine.string().trim().minLength(1).maxLength(255),
  domain: vine.string().trim().maxLength(255).optional(),
  duration: vine.number().min(0).max(14_400).optional(),
  /* `call`: a bridged call recorded on the app's Dial record attribute, linked to its log. */
  purpose: vine.enum(['call']).optional(),
})
