import { createHash, randomBytes } from 'node:crypto'
import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import router from '@adonisjs/core/services/router'
import limiter from '@adonisjs/limiter/services/main'
import logger from '@adonisjs/core/services/logger'
import mail from '@adonisjs/mail/services/main'
import env from '#start/env'
import User from '#models/user'
import Organization from '#models/organization'
import AuditTrail from '#services/audit/audit_trail'
import { PASSWORD_POLICY_VERSION } from '#services/auth/password_policy'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

export const RESET_TOKEN_MINUTES = 60
/* Reset emails per address; more requests in the window are answered the same, silently. */
export const RESET_EMAILS_PER_WINDOW = 3
export const RESET_EMAIL_WINDOW = '15 minutes'

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex')

/**
 * Forgot-password flow. The request is answered identically whether or not the address
 * belongs to anyone; the link carries a random secret whose SHA-256 is all the database
 * keeps, inside a signed URL that expires with it. Using a token, or changing the password
 * any other way, spends every outstanding token of the user.
 */
export default class PasswordReset {
  /** Sends a reset link when the address is an active account; never says whether it is. */
  async request(email: string, actor: Actor) {
    const normalized = email.trim().toLowerCase()
    const budget = limiter.use({ requests: RESET_EMAILS_PER_WINDOW, duration: RESET_EMAIL_WINDOW })
    await budget.attempt(`password_reset_${normalized}`, async () => {
      const user = await User.platformQuery('password reset by email')
        .where('email', normalized)
        .whereNull('deleted_at')
        .where('status', 'active')
        .first()
      if (!user) return
      const organization = await Organization.find(user.organizationId)
      if (!organization?.isActive) return
      const secret = randomBytes(32).toString('base64url')
      await db.transaction(async (trx) => {
        await trx.table('password_reset_tokens').insert({
          user_id: user.id,
          token_hash: sha256(secret),
          expires_at: DateTime.now().plus({ minutes: RESET_TOKEN_MINUTES }).toJSDate(),
          requested_ip: actor.ip,
          created_at: new Date(),
        })
        await AuditTrail.record(
          { ...actor, organizationId: user.organizationId, actorUserId: null },
          { action: 'user.password_reset_requested', subjectType: 'user', subjectId: user.id },
          trx,
        )
      })
      this.#send(user, this.resetUrl(secret))
    })
  }

  resetUrl(secret: string) {
    return router.makeSignedUrl(
      'password.reset.edit',
      { token: secret },
      {
        expiresIn: `${RESET_TOKEN_MINUTES} minutes`,
        purpose: 'password-reset',
        prefixUrl: env.get('APP_URL').replace(/\/$/, ''),
      },
    )
  }

  /* Queued in memory so the answer does not wait for (or reveal) the SMTP exchange. */
  #send(user: User, url: string) {
    mail
      .sendLater((message) => {
        message
          .to(user.email, user.name)
          .subject('Reset your OPBX password')
          .text(
            [
              `Hello ${user.name},`,
              '',
              'Someone (hopefully you) asked to reset the password of your OPBX account.',
              `Open this link within ${RESET_TOKEN_MINUTES} minutes to choose a new password:`,
              '',
              url,
              '',
              'If you did not ask for this, ignore this email: your password stays as it is.',
            ].join('\n'),
          )
      })
      .catch((error) => logger.error({ err: error, userId: user.id }, 'reset email not queued'))
  }

  /** The user a still-valid token belongs to, or null (unknown, used, expired, inactive). */
  async findUser(secret: string) {
    const row = await db
      .from('password_reset_tokens')
      .where('token_hash', sha256(secret))
      .whereNull('used_at')
      .where('expires_at', '>', new Date())
      .first()
    if (!row) return null
    const user = await User.platformQuery('password reset token owner')
      .where('id', row.user_id)
      .whereNull('deleted_at')
      .where('status', 'active')
      .first()
    // A password set after the token was issued makes the token stale.
    if (!user || (user.passwordChangedAt && user.passwordChangedAt.toJSDate() > row.created_at))
      return null
    return user
  }

  /**
   * Spends the token and sets the password; false when the token is no longer valid. The
   * token row is locked so two submissions of one link cannot both succeed.
   */
  async reset(secret: string, password: string, actor: Actor) {
    return db.transaction(async (trx) => {
      const row = await trx
        .from('password_reset_tokens')
        .where('token_hash', sha256(secret))
        .whereNull('used_at')
        .where('expires_at', '>', new Date())
        .forUpdate()
        .first()
      if (!row) return null
      const user = await User.platformQuery('password reset')
        .where('id', row.user_id)
        .whereNull('deleted_at')
        .where('status', 'active')
        .first()
      if (!user) return null
      user.useTransaction(trx)
      user.password = password
      user.passwordResetRequired = false
      user.passwordPolicyVersion = PASSWORD_POLICY_VERSION
      user.passwordChangedAt = DateTime.now()
      await user.save()
      await trx
        .from('password_reset_tokens')
        .where('user_id', user.id)
        .whereNull('used_at')
        .update({ used_at: new Date() })
      await trx.from('auth_access_tokens').where('tokenable_id', user.id).delete()
      await trx.from('remember_me_tokens').where('tokenable_id', user.id).delete()
      await AuditTrail.record(
        { ...actor, organizationId: user.organizationId, actorUserId: user.id },
        { action: 'user.password_reset', subjectType: 'user', subjectId: user.id },
        trx,
      )
      return user
    })
  }
}
