import vine from '@vinejs/vine'

/** meta.userId: the caller, so keeping one's own email is not a conflict. */
export const updateProfileValidator = vine.withMetaData<{ userId: number }>().compile(
  vine.object({
    name: vine.string().trim().minLength(1).maxLength(120).optional(),
    phone: vine
      .string()
      .trim()
      .regex(/^\+?[0-9 ()-]{3,32}$/)
      .nullable()
      .optional(),
    /* Emails are the sign-in identity: unique platform-wide, case-insensitively. */
    email: vine
      .string()
      .trim()
      .email()
      .maxLength(254)
      .unique(async (db, value, field) => {
        const { userId } = field.meta as { userId: number }
        const taken = await db
          .from('users')
          .whereRaw('lower(email) = ?', [value.toLowerCase()])
          .whereNot('id', userId)
          .first()
        return !taken
      })
      .optional(),
    currentPassword: vine.string().minLength(1).maxLength(256).optional(),
  }),
)
