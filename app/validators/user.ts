import vine from '@vinejs/vine'
import { ROLES, USER_STATUSES } from '#enums/roles'
import { strongPassword } from '#validators/rules/password'

/** Emails are unique platform-wide (they are the sign-in identity), case-insensitively. */
const email = () =>
  vine
    .string()
    .trim()
    .email()
    .maxLength(254)
    .unique(async (db, value, field) => {
      const ignoreId = (field.meta as { userId?: number }).userId
      const query = db.from('users').whereRaw('lower(email) = ?', [value.toLowerCase()])
      if (ignoreId) query.whereNot('id', ignoreId)
      return !(await query.first())
    })

export const createUserValidator = vine.create({
  name: vine.string().trim().minLength(1).maxLength(120),
  email: email(),
  password: strongPassword({ emailField: 'email' }),
  role: vine.enum(ROLES),
  status: vine.enum(USER_STATUSES).optional(),
  phone: vine
    .string()
    .trim()
    .regex(/^\+?[0-9 ()-]{3,32}$/)
    .optional(),
  passwordResetRequired: vine.boolean().optional(),
})

/** meta.userId: the user being edited, so keeping one's own email is not a conflict. */
export const updateUserValidator = vine.withMetaData<{ userId: number }>().compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(120).optional(),
    email: email().optional(),
    role: vine.enum(ROLES).optional(),
    status: vine.enum(USER_STATUSES).optional(),
    phone: vine
      .string()
      .trim()
      .regex(/^\+?[0-9 ()-]{3,32}$/)
      .nullable()
      .optional(),
  }),
)

export const listUsersValidator = vine.create({
  page: vine.number().withoutDecimals().min(1).optional(),
  perPage: vine.number().withoutDecimals().range([1, 100]).optional(),
  search: vine.string().trim().maxLength(100).optional(),
  role: vine.enum(ROLES).optional(),
  status: vine.enum(USER_STATUSES).optional(),
  sort: vine
    .enum(['name', '-name', 'email', '-email', 'created_at', '-created_at', 'role', '-role'])
    .optional(),
  trashed: vine.enum(['with', 'only']).optional(),
})
