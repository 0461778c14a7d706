import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import { DateTime } from 'luxon'
import CallLogPolicy from '#policies/call_log_policy'
import CallHistory from '#services/call_logs/call_history'
import CallLogCsv from '#services/call_logs/call_log_csv'
import { serializeCallLog } from '#transformers/call_log_transformer'
import { paginated, sortOrder } from '#transformers/pagination'
import { idParam } from '#transformers/params'
import { listCallLogsValidator } from '#validators/call_log'

const SORT_COLUMNS: Record<string, string> = {
  initiated_at: 'initiated_at',
  duration: 'duration_seconds',
}

@inject()
export default class CallLogsController {
  constructor(protected history: CallHistory) {}

  async index({ request, organization, currentUser, bouncer }: HttpContext) {
    await bouncer.with(CallLogPolicy).authorize('viewAny')
    const filters = await request.validateUsing(listCallLogsValidator, { data: request.qs() })
    const [sort, direction] = sortOrder(filters.sort, '-initiated_at')
    const page = await this.history
      .callLogs(organization, currentUser, filters)
      // Calls still in progress have no duration yet: they go last either way.
      .orderBy([
        { column: SORT_COLUMNS[sort], order: direction, nulls: 'last' },
        { column: 'id', order: direction },
      ])
      .paginate(filters.page ?? 1, filters.perPage ?? 25)
    return paginated(page, serializeCallLog)
  }

  async show({ params, organization, currentUser, bouncer }: HttpContext) {
    const log = await this.history
      .callLogs(organization, currentUser)
      .where('id', idParam(params.id))
      .firstOrFail()
    await bouncer.with(CallLogPolicy).authorize('view')
    return { data: serializeCallLog(log) }
  }

  /** Same filters as the list; the file is streamed, never built in memory. */
  @inject()
  async export(ctx: HttpContext, csv: CallLogCsv) {
    await ctx.bouncer.with(CallLogPolicy).authorize('export')
    const filters = await ctx.request.validateUsing(listCallLogsValidator, {
      data: ctx.request.qs(),
    })
    const name = `call-logs-${DateTime.utc().toFormat("yyyyLLdd'T'HHmmss")}.csv`
    ctx.response.header('Content-Type', 'text/csv; charset=utf-8')
    ctx.response.header('Content-Disposition', `attachment; filename="${name}"`)
    ctx.response.header('Cache-Control', 'no-store')
    ctx.response.stream(csv.stream(ctx.organization, ctx.currentUser, filters))
  }
}
