import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import CallControlPolicy from '#policies/call_control_policy'
import AuditTrail from '#services/audit/audit_trail'
import CallControl from '#services/calls/call_control'
import { serializeCallLog } from '#transformers/call_log_transformer'
import { paginated } from '#transformers/pagination'
import { listActiveCallsValidator, transferCallValidator } from '#validators/call_control'

@inject()
export default class ActiveCallsController {
  constructor(protected calls: CallControl) {}

  async index({ request, organization, bouncer }: HttpContext) {
    await bouncer.with(CallControlPolicy).authorize('viewAny')
    const filters = await request.validateUsing(listActiveCallsValidator, { data: request.qs() })
    const page = await this.calls
      .activeCalls(organization)
      .orderBy([
        { column: 'initiated_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .paginate(filters.page ?? 1, filters.perPage ?? 25)
    return paginated(page, serializeCallLog)
  }

  async hangup(ctx: HttpContext) {
    await ctx.bouncer.with(CallControlPolicy).authorize('hangup')
    const call = await this.calls.hangup(
      ctx.organization,
      ctx.params.id,
      AuditTrail.fromRequest(ctx),
    )
    return { data: { id: call.id, callId: call.callId, hungUp: true } }
  }

  async transfer(ctx: HttpContext) {
    await ctx.bouncer.with(CallControlPolicy).authorize('transfer')
    const { target } = await ctx.request.validateUsing(transferCallValidator)
    const result = await this.calls.transfer(
      ctx.organization,
      ctx.params.id,
      target,
      AuditTrail.fromRequest(ctx),
    )
    return {
      data: {
        id: result.call.id,
        callId: result.call.callId,
        transferred: true,
        target: result.target.number,
        targetKind: result.target.kind,
      },
    }
  }
}
