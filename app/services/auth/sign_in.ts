import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import limiter from '@adonisjs/limiter/services/main'
import User from '#models/user'
import Organization from '#models/organization'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'
import { signInAttempts } from '#services/metrics/registry'

/* After this many failures within the window the account is locked, whatever the source. */
export const LOCKOUT_ATTEMPTS = 5
export const LOCKOUT_WINDOW = '15 minutes'

export type SignInResult = { user: User; organization: Organization }

/**
 * Verifies a sign-in for both the web form and the API. Unknown emails and wrong
 * passwords fail the same way and take the same time; repeated failures lock the
 * account (keyed by email, so spreading attempts over many IPs does not help).
 */
export default class SignIn {
  async handle(
    email: string,
    password: string,
    actor: ReturnType<typeof AuditTrail.fromRequest>,
    via: 'web' | 'api',
  ): Promise<SignInResult> {
    const normalized = email.trim().toLowerCase()
    const lockout = limiter.use({
      requests: LOCKOUT_ATTEMPTS,
      duration: LOCKOUT_WINDOW,
      blockDuration: LOCKOUT_WINDOW,
    })
    const key = `signin_lockout_${normalized}`

    const [throttled, user] = await lockout
      .penalize(key, () => this.#verify(normalized, password))
      .catch((error) => {
        signInAttempts.inc({ via, outcome: 'invalid_credentials' })
        throw error
      })
    if (throttled) {
      signInAttempts.inc({ via, outcome: 'locked' })
      const minutes = Math.max(1, Math.ceil(throttled.response.availableIn / 60))
      throw new ApiException(
        423,
        'E_ACCOUNT_LOCKED',
        `Too many failed sign-in attempts. The account is locked for ${minutes} more minute(s).`,
        { headers: { 'Retry-After': String(throttled.response.availableIn) } },
      )
    }

    const organization = await Organization.query().where('id', user.organizationId).first()
    if (!organization || !organization.isActive) {
      throw new ApiException(
        403,
        'E_ORGANIZATION_SUSPENDED',
        'Your organization is suspended. Contact your provider to reactivate it.',
      )
    }
    if (!user.isActive) {
      throw new ApiException(
        403,
        'E_ACCOUNT_INACTIVE',
        'Your account is inactive. Ask an administrator of your organization to reactivate it.',
      )
    }

    signInAttempts.inc({ via, outcome: 'success' })
    user.lastLoginAt = DateTime.now()
    user.lastLoginIp = actor.ip
    await user.save()
    await AuditTrail.record(
      { ...actor, organizationId: organization.id, actorUserId: user.id },
      { action: 'auth.signed_in', subjectType: 'user', subjectId: user.id, metadata: { via } },
    )
    return { user, organization }
  }

  async #verify(email: string, password: string) {
    const user = await User.platformQuery('sign-in by email')
      .where('email', email)
      .whereNull('deleted_at')
      .first()
    if (!user) {
      // Hash anyway so an unknown email costs as much time as a wrong password.
      await hash.make(password)
      throw new ApiException(401, 'E_INVALID_CREDENTIALS', 'Invalid email or password')
    }
    if (!(await hash.verify(user.password, password))) {
      throw new ApiException(401, 'E_INVALID_CREDENTIALS', 'Invalid email or password')
    }
    return user
  }
}
