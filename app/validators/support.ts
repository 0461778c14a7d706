import vine from '@vinejs/vine'

export const staffLoginValidator = vine.create({
  email: vine.string().trim().email().maxLength(254),
  password: vine.string().minLength(1).maxLength(256),
})

export const startImpersonationValidator = vine.create({
  userId: vine.number().withoutDecimals().positive(),
  reason: vine.string().trim().minLength(10).maxLength(500),
})

export const supportSearchValidator = vine.create({
  search: vine.string().trim().maxLength(100).optional(),
  /* Narrows the user list to one organization (its "Users" link in the console). */
  organizationId: vine.number().withoutDecimals().positive().optional(),
})
