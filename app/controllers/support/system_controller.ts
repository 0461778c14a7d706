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

    // Every edge at once; one that cannot reload does not stop the others.
    const edges = EdgeControlClient.allFromEnv()
    const results = await Promise.allSettled(
      edges.map(async (edge) => {
        const started = performance.now()
        const answer = await edge.request('POST', '/v1/reload')
        if (answer.status !== 200)
          throw new ApiException(502, 'E_EDGE_REJECTED', `voip-edge answered ${answer.status}`)
        return {
          url: edge.baseUrl,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        }
      }),
    )
    const reloaded = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    const failed = results.flatMap((r, i) =>
      r.status === 'rejected'
        ? [
            {
              url: edges[i].baseUrl,
              error: r.reason instanceof Error ? r.reason.message : String(r.reason),
            },
          ]
        : [],
    )
    const durationMs = Math.max(0, ...reloaded.map((edge) => edge.durationMs))
    // Audited even when some edges failed: the others did reload.
    if (reloaded.length > 0)
      await AuditTrail.record(
        { ...AuditTrail.fromRequest(ctx), organizationId: null, impersonatorStaffId: staff.id },
        {
          action: 'system.reloaded',
          subjectType: 'voip_edge',
          metadata: { durationMs, edges: reloaded, failed },
        },
      )
    if (failed.length > 0)
      throw new ApiException(
        503,
        'E_EDGE_UNAVAILABLE',
        `${failed.length} of ${edges.length} voip-edge instance(s) did not reload: ` +
          failed.map((edge) => `${edge.url}: ${edge.error}`).join('; '),
        { details: { reloaded, failed } },
      )

    return { data: { reloaded: true, durationMs, edges: reloaded } }
  }
}
