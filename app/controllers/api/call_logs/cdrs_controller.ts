import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import CallLogPolicy from '#policies/call_log_policy'
import CallHistory from '#services/call_logs/call_history'
import { serializeCdr } from '#transformers/call_log_transformer'
import { paginated, sortOrder } from '#transformers/pagination'
import { idParam } from '#transformers/params'
import { listCdrsValidator } from '#validators/call_log'

/** Cloudonix CDRs, read-only: they are the provider's billing record, not ours to edit. */
@inject()
export default class CdrsController {
  constructor(protected history: CallHistory) {}

  async index({ request, organization, currentUser, bouncer }: HttpContext) {
    await bouncer.with(CallLogPolicy).authorize('viewAny')
    const filters = await request.validateUsing(listCdrsValidator, { data: request.qs() })
    const [sort, direction] = sortOrder(filters.sort, '-session_timestamp')
    const page = await this.history
      .cdrs(organization, currentUser, filters)
      .orderBy(sort, direction)
      .orderBy('id', direction)
      .paginate(filters.page ?? 1, filters.perPage ?? 25)
    return paginated(page, (cdr) => serializeCdr(cdr))
  }

  async show({ params, organization, currentUser, bouncer }: HttpContext) {
    const cdr = await this.history
      .cdrs(organization, currentUser)
      .where('id', idParam(params.id))
      .firstOrFail()
    await bouncer.with(CallLogPolicy).authorize('view')
    return { data: serializeCdr(cdr, true) }
  }
}
