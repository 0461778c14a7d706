import factory from '@adonisjs/lucid/factories'
import User from '#models/user'
import { PASSWORD_POLICY_VERSION } from '#services/auth/password_policy'

/* A password that satisfies the policy, shared by every factory user to keep tests short. */
export const FACTORY_PASSWORD = 'Valid-pass-2026'

let sequence = 0

export const UserFactory = factory
  .define(User, () => {
    sequence += 1
    return {
      name: `User ${sequence}`,
      email: `user${sequence}.${Date.now().toString(36)}@example.test`,
      password: FACTORY_PASSWORD,
      role: 'pbx_user' as const,
      status: 'active' as const,
      passwordResetRequired: false,
      passwordPolicyVersion: PASSWORD_POLICY_VERSION,
    }
  })
  .build()
