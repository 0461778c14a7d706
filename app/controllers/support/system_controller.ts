import type { HttpContext } from '@adonisjs/core/http'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'
import { EdgeControlClient } from '#services/calls/edge_control_client'
import type StaffUser from '#models/staff_user'

/**
 * Platform operations that affect every tenant, for platform admins (staff guard; support
 * staff may look, not act). The staff session cookie is SameSite=lax and the endpoint only
 * accepts a JSON body, so a cross-site form post can neither carry the cookie nor the type.
 */
export default class SystemController {
  async reload(ctx: HttpContext) {
    const staff = ctx.auth.use('staff').user as StaffUser
    if (staff.role !== 'platform_admin' || staff.status !== 'active')
      throw ApiException.forbidden('Only platform administrators may reload voip-edge')
    if (!ctx.request.is(['json']))
      throw new ApiException(415, 'E_UNSUPPORTED_MEDIA_TYPE', 'Send Content-Type: application/json')

    const started = performance.now()
    const answer = await EdgeControlClient.fromEnv().request('POST', '/v1/reload')
    const durationMs = Math.round((performance.now() - started) * 10) / 10
    if (answer.status !== 200)
      throw new ApiException(
        502,
        'E_EDGE_REJECTED',
        `voip-edge answered ${answer.status} to the reload`,
      )

    await AuditTrail.record(
      { ...AuditTrail.fromRequest(ctx), organizationId: null, impersonatorStaffId: staff.id },
      { action: 'system.reloaded', subjectType: 'voip_edge', metadata: { durationMs } },
    )
    return { data: { reloaded: true, durationMs } }
  }
}
