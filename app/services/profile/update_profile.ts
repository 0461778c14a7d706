import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'
import { serializeUser } from '#transformers/user_transformer'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

export type UpdateProfileInput = {
  name?: string
  phone?: string | null
  email?: string
  currentPassword?: string
}

function fieldError(field: string, rule: string, message: string) {
  return new ApiException(422, 'E_VALIDATION_ERROR', message, {
    details: { fields: [{ field, message, rule }] },
  })
}
const currentPasswordError = (message: string) =>
  fieldError('currentPassword', 'currentPassword', message)

/**
 * The caller's own name, phone and email. Email is the sign-in identity, so changing it
 * needs the current password: a stolen token or an unattended session must not be able to
 * take the account over by redirecting password resets.
 */
export default class UpdateProfile {
  async handle(user: User, input: UpdateProfileInput, actor: Actor) {
    const { currentPassword, ...changes } = input
    const emailChanges =
      changes.email !== undefined && changes.email.toLowerCase() !== user.email.toLowerCase()
    if (emailChanges) {
      if (!currentPassword)
        throw currentPasswordError('The current password is required to change the email')
      if (!(await hash.verify(user.password, currentPassword)))
        throw currentPasswordError('The current password is incorrect')
    }
    return db.transaction(async (trx) => {
      const before = serializeUser(user)
      user.useTransaction(trx)
      user.merge(changes)
      await user.save().catch((error) => {
        // Another account took the address between validation and save (unique index).
        if (error?.code === '23505') throw fieldError('email', 'unique', 'The email is taken')
        throw error
      })
      await AuditTrail.record(
        actor,
        {
          action: 'user.profile_updated',
          subjectType: 'user',
          subjectId: user.id,
          before,
          after: serializeUser(user),
          metadata: { emailChanged: emailChanges },
        },
        trx,
      )
      return user
    })
  }
}
