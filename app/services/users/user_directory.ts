import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type Organization from '#models/organization'
import type User from '#models/user'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'
import { PASSWORD_POLICY_VERSION } from '#services/auth/password_policy'
import { serializeUser } from '#transformers/user_transformer'
import type { Role, UserStatus } from '#enums/roles'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

export type CreateUserInput = {
  name: string
  email: string
  password: string
  role: Role
  status?: UserStatus
  phone?: string
  passwordResetRequired?: boolean
}

export type UpdateUserInput = Partial<{
  name: string
  email: string
  role: Role
  status: UserStatus
  phone: string | null
}>

/**
 * Writes to an organization's users. Authorization happens before these calls (policies);
 * what lives here are the invariants that must hold whoever calls: every write is audited
 * in the same transaction, and an organization never loses its last active owner.
 */
export default class UserDirectory {
  async create(organization: Organization, input: CreateUserInput, actor: Actor) {
    return db.transaction(async (trx) => {
      const user = await organization.related('users').create(
        {
          ...input,
          status: input.status ?? 'active',
          phone: input.phone ?? null,
          passwordResetRequired: input.passwordResetRequired ?? false,
          passwordPolicyVersion: PASSWORD_POLICY_VERSION,
        },
        { client: trx },
      )
      await AuditTrail.record(
        actor,
        {
          action: 'user.created',
          subjectType: 'user',
          subjectId: user.id,
          after: serializeUser(user),
        },
        trx,
      )
      return user
    })
  }

  async update(organization: Organization, user: User, input: UpdateUserInput, actor: Actor) {
    return db.transaction(async (trx) => {
      const before = serializeUser(user)
      const losesOwnership =
        user.role === 'owner' &&
        ((input.role && input.role !== 'owner') || input.status === 'inactive')
      if (losesOwnership) await this.#assertAnotherOwner(organization, user, trx)
      user.useTransaction(trx)
      user.merge(input)
      await user.save()
      await AuditTrail.record(
        actor,
        {
          action: 'user.updated',
          subjectType: 'user',
          subjectId: user.id,
          before,
          after: serializeUser(user),
        },
        trx,
      )
      return user
    })
  }

  /** Soft delete: the row stays for call history and audit, the person can no longer sign in. */
  async delete(organization: Organization, user: User, actor: Actor) {
    await db.transaction(async (trx) => {
      if (user.role === 'owner') await this.#assertAnotherOwner(organization, user, trx)
      user.useTransaction(trx)
      user.deletedAt = DateTime.now()
      await user.save()
      await trx.from('auth_access_tokens').where('tokenable_id', user.id).delete()
      await trx.from('remember_me_tokens').where('tokenable_id', user.id).delete()
      await AuditTrail.record(
        actor,
        {
          action: 'user.deleted',
          subjectType: 'user',
          subjectId: user.id,
          before: serializeUser(user),
        },
        trx,
      )
    })
  }

  async restore(user: User, actor: Actor) {
    return db.transaction(async (trx) => {
      user.useTransaction(trx)
      user.deletedAt = null
      await user.save()
      await AuditTrail.record(
        actor,
        {
          action: 'user.restored',
          subjectType: 'user',
          subjectId: user.id,
          after: serializeUser(user),
        },
        trx,
      )
      return user
    })
  }

  /* Locks the organization's owner rows so two admins cannot each demote "the other" owner. */
  async #assertAnotherOwner(
    organization: Organization,
    user: User,
    trx: TransactionClientContract,
  ) {
    const owners = await trx
      .from('users')
      .where('organization_id', organization.id)
      .where('role', 'owner')
      .where('status', 'active')
      .whereNull('deleted_at')
      .whereNot('id', user.id)
      .forUpdate()
      .select('id')
    if (owners.length === 0) {
      throw ApiException.conflict(
        'An organization must keep at least one active owner: promote another user to owner first',
      )
    }
  }
}
