import type { HttpContext } from '@adonisjs/core/http'
import {
  callAnsweredValidator,
  callEndedValidator,
  callInitiatedValidator,
  callStatusValidator,
} from '#services/webhooks/payloads'
import { compatState, fromUnixSeconds, ingestCompatEvent } from '#services/webhooks/compat_ingest'
import { TERMINAL_STATES } from '#services/calls/call_state'

/** OPBX-compatible call webhooks, mapped onto the call state machine. */
export default class CompatWebhooksController {
  async initiated({ request, organization }: HttpContext) {
    const payload = await request.validateUsing(callInitiatedValidator)
    const result = await ingestCompatEvent({
      organizationId: organization.id,
      callId: payload.call_id,
      state: 'initiated',
      direction: payload.direction ?? 'inbound',
      from: payload.from,
      to: payload.to,
      startedAt: fromUnixSeconds(payload.timestamp),
    })
    return { ok: true, ...result }
  }

  async answered({ request, organization }: HttpContext) {
    const payload = await request.validateUsing(callAnsweredValidator)
    const result = await ingestCompatEvent({
      organizationId: organization.id,
      callId: payload.call_id,
      state: 'answered',
      answeredAt: fromUnixSeconds(payload.answer_time ?? payload.timestamp),
    })
    return { ok: true, ...result }
  }

  async ended({ request, organization }: HttpContext) {
    const payload = await request.validateUsing(callEndedValidator)
    const result = await ingestCompatEvent({
      organizationId: organization.id,
      callId: payload.call_id,
      state: compatState(payload.status ?? 'completed'),
      endedAt: fromUnixSeconds(payload.timestamp),
    })
    return { ok: true, ...result }
  }

  async status({ request, organization }: HttpContext) {
    const payload = await request.validateUsing(callStatusValidator)
    const state = compatState(payload.status)
    const result = await ingestCompatEvent(
      {
        organizationId: organization.id,
        callId: payload.call_id,
        state,
        answeredAt: fromUnixSeconds(
          state === 'answered' ? (payload.answer_time ?? payload.timestamp) : payload.answer_time,
        ),
        endedAt: TERMINAL_STATES.includes(state) ? fromUnixSeconds(payload.timestamp) : null,
      },
      payload.status,
    )
    return { ok: true, ...result }
  }
}
