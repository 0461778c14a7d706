import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import CallLogPolicy from '#policies/call_log_policy'
import CallHistory from '#services/call_logs/call_history'
import { idParam } from '#transformers/params'
import { timelineOf } from '#services/calls/call_timeline'

/**
 * GET /api/v1/call-logs/:id/timeline: the events that built one call log, in the order
 * they happened (sender's time, then arrival). The call log is found exactly as its show
 * endpoint finds it, so another organization's call (or, for a PBX user, someone else's
 * call) is a 404 before any event is read.
 */
@inject()
export default class CallTimelineController {
  constructor(protected history: CallHistory) {}

  async show({ params, organization, currentUser, bouncer }: HttpContext) {
    const log = await this.history
      .callLogs(organization, currentUser)
      .where('id', idParam(params.id))
      .firstOrFail()
    await bouncer.with(CallLogPolicy).authorize('view')
    return { data: await timelineOf(log) }
  }
}
