import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import type User from '#models/user'
import ApiException from '#exceptions/api_exception'
import AuditTrail, { type AuditEntry } from '#services/audit/audit_trail'
import { PASSWORD_POLICY_VERSION } from '#services/auth/password_policy'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

/**
 * Changes a user's own password: the current one must be right and the new one must
 * differ. Clears the forced-reset flag, records the policy version it satisfied, and
 * revokes the user's API tokens so a leaked token dies with the old password.
 */
export default class ChangePassword {
  async handle(user: User, input: { currentPassword: string; password: string }, actor: Actor) {
    if (!(await hash.verify(user.password, input.currentPassword))) {
      throw new ApiException(422, 'E_VALIDATION_ERROR', 'The current password is incorrect', {
        details: {
          fields: [
            {
              field: 'currentPassword',
              message: 'The current password is incorrect',
              rule: 'currentPassword',
            },
          ],
        },
      })
    }
    if (input.currentPassword === input.password) {
      throw new ApiException(
        422,
        'E_VALIDATION_ERROR',
        'The new password must differ from the current one',
        {
          details: {
            fields: [
              {
                field: 'password',
                message: 'The new password must differ from the current one',
                rule: 'different',
              },
            ],
          },
        },
      )
    }
    await db.transaction(async (trx) => {
      user.useTransaction(trx)
      user.password = input.password
      user.passwordResetRequired = false
      user.passwordPolicyVersion = PASSWORD_POLICY_VERSION
      user.passwordChangedAt = DateTime.now()
      await user.save()
      await trx.from('auth_access_tokens').where('tokenable_id', user.id).delete()
      const entry: AuditEntry = {
        action: 'user.password_changed',
        subjectType: 'user',
        subjectId: user.id,
      }
      await AuditTrail.record(actor, entry, trx)
    })
  }
}
