import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import CallLogPolicy from '#policies/call_log_policy'
import CallHistory from '#services/call_logs/call_history'
import { idParam } from '#transformers/params'

type EventRow = {
  id: string | number
  source: string
  status: string | null
  state: string | null
  previous_state: string
  applied: boolean
  ignored_reason: string | null
  occurred_at: Date
  received_at: Date
  details: Record<string, unknown>
}

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
    const rows: EventRow[] = await db
      .from('call_events')
      .where('organization_id', organization.id)
      .where('call_log_id', log.id)
      .orderBy('occurred_at')
      .orderBy('received_at')
      .orderBy('id')
      .limit(500)
    return {
      data: rows.map((row) => ({
        id: Number(row.id),
        source: row.source,
        status: row.status,
        state: row.state,
        previousState: row.previous_state,
        applied: row.applied,
        ignoredReason: row.ignored_reason,
        occurredAt: row.occurred_at.toISOString(),
        receivedAt: row.received_at.toISOString(),
        details: row.details,
      })),
    }
  }
}
