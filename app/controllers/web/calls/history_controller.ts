import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import CallLogPolicy from '#policies/call_log_policy'
import CallHistory from '#services/call_logs/call_history'
import CallLogCsv from '#services/call_logs/call_log_csv'
import { callRecordingPath } from '#services/call_logs/call_recording'
import { timelineOf } from '#services/calls/call_timeline'
import { extensionsOf } from '#services/extensions/extension_lookup'
import { canViewReports } from '#auth/rules'
import { serializeCallLog, serializeCdr } from '#transformers/call_log_transformer'
import { paginated } from '#transformers/pagination'
import { idParam } from '#transformers/params'
import { listCallLogsValidator } from '#validators/call_log'

/**
 * Call history pages: the same CallHistory queries as /api/v1/call-logs, so a PBX user's
 * page holds only calls of their own extensions and another tenant's call is a 404.
 */
@inject()
export default class CallHistoryController {
  constructor(protected history: CallHistory) {}

  async index(ctx: HttpContext) {
    const { request, organization, currentUser, bouncer, inertia } = ctx
    await bouncer.with(CallLogPolicy).authorize('viewAny')
    const [error, filters] = await listCallLogsValidator.tryValidate(request.qs())
    if (error) {
      // A hand-edited or stale link: start over with a reason rather than a bare 422.
      const messages = (error.messages as { message: string }[]).map((m) => m.message)
      ctx.session.flash('error', `Filters ignored: ${messages.join('; ')}`)
      return ctx.response.redirect().toPath('/calls')
    }
    const page = await this.history.page(organization, currentUser, filters)
    const extensions = await this.#extensions(ctx)
    return inertia.render('calls/index', {
      calls: paginated(page, serializeCallLog),
      filters: request.qs(),
      extensions,
      timezone: organization.timezone,
    })
  }

  async show(ctx: HttpContext) {
    const { params, organization, currentUser, bouncer, inertia } = ctx
    const log = await this.history
      .callLogs(organization, currentUser)
      .where('id', idParam(params.id))
      .firstOrFail()
    await bouncer.with(CallLogPolicy).authorize('view')
    const cdrs = await this.history
      .cdrs(organization, currentUser)
      .where('call_id', log.callId)
      .orderBy('session_timestamp', 'asc')
    const extension = log.extensionId
      ? await extensionsOf(organization).where('id', log.extensionId).first()
      : null
    return inertia.render('calls/show', {
      call: {
        ...serializeCallLog(log),
        billsecSeconds: log.billsecSeconds,
        disposition: log.disposition,
        extension: extension ? { number: extension.number, name: extension.name } : null,
        recordingUrl: callRecordingPath(log),
      },
      cdrs: cdrs.map((cdr) => serializeCdr(cdr)),
      timeline: await timelineOf(log),
      timezone: organization.timezone,
    })
  }

  /** The list's filters as a streamed CSV (the service reads in keyset batches). */
  @inject()
  async export(ctx: HttpContext, csv: CallLogCsv) {
    await ctx.bouncer.with(CallLogPolicy).authorize('export')
    const filters = await ctx.request.validateUsing(listCallLogsValidator, {
      data: ctx.request.qs(),
    })
    csv.download(ctx.response, ctx.organization, ctx.currentUser, filters)
  }

  /* The extensions the viewer may filter by: all of them, or only their own. */
  async #extensions({ organization, currentUser }: HttpContext) {
    const query = extensionsOf(organization).whereNull('deleted_at').orderBy('number')
    if (!canViewReports(currentUser)) query.where('user_id', currentUser.id)
    const rows = await query.select('id', 'number', 'name')
    return rows.map((e) => ({ id: e.id, number: e.number, name: e.name }))
  }
}
