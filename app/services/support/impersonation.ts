import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { HttpContext } from '@adonisjs/core/http'
import User from '#models/user'
import type StaffUser from '#models/staff_user'
import Organization from '#models/organization'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'
import { clearImpersonation, writeImpersonation } from '#services/support/impersonation_session'

/**
 * Support staff act as a tenant user only with a stated reason, and both ends of the
 * session are audited in the tenant's own trail (who, whom, when, why, IP, request id).
 */
export default class Impersonation {
  async start(ctx: HttpContext, staff: StaffUser, userId: number, reason: string) {
    const user = await User.platformQuery('support impersonation target')
      .where('id', userId)
      .whereNull('deleted_at')
      .first()
    if (!user) throw ApiException.notFound('User')
    const organization = await Organization.findOrFail(user.organizationId)
    if (!user.isActive || !organization.isActive) {
      throw new ApiException(
        409,
        'E_IMPERSONATION_UNAVAILABLE',
        'This user or organization is not active and cannot be impersonated',
      )
    }

    await db.transaction(async (trx) => {
      await AuditTrail.record(
        {
          ...AuditTrail.fromRequest(ctx),
          organizationId: organization.id,
          actorUserId: user.id,
          impersonatorStaffId: staff.id,
        },
        {
          action: 'impersonation.started',
          subjectType: 'user',
          subjectId: user.id,
          metadata: { reason, staffEmail: staff.email },
        },
        trx,
      )
    })
    await ctx.auth.use('web').login(user)
    writeImpersonation(ctx, {
      staffId: staff.id,
      staffName: staff.name,
      reason,
      userId: user.id,
      startedAt: DateTime.now().toISO()!,
    })
    return user
  }

  async stop(ctx: HttpContext, staff: StaffUser) {
    const impersonation = ctx.session.get('impersonation') as
      { userId: number; startedAt: string; reason: string } | undefined
    if (impersonation) {
      const user = await User.platformQuery('support impersonation end')
        .where('id', impersonation.userId)
        .first()
      await AuditTrail.record(
        {
          ...AuditTrail.fromRequest(ctx),
          organizationId: user?.organizationId ?? null,
          actorUserId: user?.id ?? null,
          impersonatorStaffId: staff.id,
        },
        {
          action: 'impersonation.stopped',
          subjectType: 'user',
          subjectId: impersonation.userId,
          metadata: { reason: impersonation.reason, startedAt: impersonation.startedAt },
        },
      )
    }
    clearImpersonation(ctx)
    await ctx.auth.use('web').logout()
  }
}
