import type { HttpContext } from '@adonisjs/core/http'
import StaffUser from '#models/staff_user'

export type Impersonation = {
  staffId: number
  staffName: string
  reason: string
  userId: number
  startedAt: string
}

const SESSION_KEY = 'impersonation'

export function writeImpersonation(ctx: HttpContext, value: Impersonation) {
  ctx.session.put(SESSION_KEY, value)
}

export function clearImpersonation(ctx: HttpContext) {
  ctx.session.forget(SESSION_KEY)
}

/**
 * The impersonation marker is trusted only while the staff member's own session is still
 * signed in and still active and the marker names the user the web session belongs to;
 * otherwise it is dropped (and the caller treats the request as not impersonated).
 */
export async function readImpersonation(ctx: HttpContext): Promise<Impersonation | undefined> {
  const value = ctx.session.get(SESSION_KEY) as Impersonation | undefined
  if (!value) return undefined
  const staffGuard = ctx.auth.use('staff')
  const staff = (await staffGuard.check()) ? staffGuard.user : undefined
  if (
    !(staff instanceof StaffUser) ||
    staff.id !== value.staffId ||
    staff.status !== 'active' ||
    ctx.auth.user?.id !== value.userId
  ) {
    clearImpersonation(ctx)
    return undefined
  }
  return value
}
