import vine from '@vinejs/vine'
import { strongPassword } from '#validators/rules/password'

export const loginValidator = vine.create({
  email: vine.string().trim().email().maxLength(254),
  password: vine.string().minLength(1).maxLength(256),
  remember: vine.boolean().optional(),
})

export const apiLoginValidator = vine.create({
  email: vine.string().trim().email().maxLength(254),
  password: vine.string().minLength(1).maxLength(256),
  tokenName: vine.string().trim().minLength(1).maxLength(100).optional(),
})

/** meta.email: the signed-in user's address, which the new password must not contain. */
export const changePasswordValidator = vine.withMetaData<{ email: string }>().compile(
  vine.object({
    currentPassword: vine.string().minLength(1).maxLength(256),
    password: strongPassword().confirmed({ confirmationField: 'passwordConfirmation' }),
  }),
)

export const TOKEN_ABILITIES = ['*', 'read', 'write'] as const

export const createTokenValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(100),
  abilities: vine.array(vine.enum(TOKEN_ABILITIES)).minLength(1).distinct().optional(),
  expiresInDays: vine.number().withoutDecimals().range([1, 365]).optional(),
})
