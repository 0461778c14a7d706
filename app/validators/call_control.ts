import vine from '@vinejs/vine'

export const listActiveCallsValidator = vine.create({
  page: vine.number().withoutDecimals().min(1).optional(),
  perPage: vine.number().withoutDecimals().range([1, 100]).optional(),
})

/* The shape only; whether the target is the tenant's own or allowed is CallControl's call. */
export const transferCallValidator = vine.create({
  target: vine
    .string()
    .trim()
    .regex(/^\+?[0-9*#]{1,32}$/),
})
