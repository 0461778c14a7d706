import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import CallLogPolicy from '#policies/call_log_policy'
import CallHistory from '#services/call_logs/call_history'
import CallLogCsv from '#services/call_logs/call_log_csv'
import { serializeCallLog } from '#transformers/call_log_transformer'
import { paginated } from '#transformers/pagination'
import { idParam } from '#transformers/params'
import { listCallLogsValidator } from '#validators/call_log'
import { callRecordingUrl } from '#services/call_logs/call_recording'
import ApiException from '#exceptions/api_exception'

@inject()
export default class CallLogsController {
  constructor(protected history: CallHistory) {}

  async index({ request, organization, currentUser, bouncer }: HttpContext) {
    await bouncer.with(CallLogPolicy).authorize('viewAny')
    const filters = await request.validateUsing(listCallLogsValidator, { data: request.qs() })
    const page = await this.history.page(organization, currentUser, filters)
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

  /** The recording of a recorded call: a signed URL that expires; 404 when not recorded. */
  async recording({ params, organization, currentUser, bouncer }: HttpContext) {
    const log = await this.history
      .callLogs(organization, currentUser)
      .where('id', idParam(params.id))
      .firstOrFail()
    await bouncer.with(CallLogPolicy).authorize('view')
    const link = callRecordingUrl(log)
    if (!link) throw ApiException.notFound('Recording')
    return { data: link }
  }

  /** Same filters as the list; the file is streamed, never built in memory. */
  @inject()
  async export(ctx: HttpContext, csv: CallLogCsv) {
    await ctx.bouncer.with(CallLogPolicy).authorize('export')
    const filters = await ctx.request.validateUsing(listCallLogsValidator, {
      data: ctx.request.qs(),
    })
    csv.download(ctx.response, ctx.organization, ctx.currentUser, filters)
  }
}
