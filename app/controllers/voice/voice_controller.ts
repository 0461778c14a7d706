import type { HttpContext } from '@adonisjs/core/http'
import { answerVoice, routeCall } from '#services/voice/voice_routing'
import { extensionDialResult } from '#services/voice/extension_unanswered'
import { ringGroupCallback } from '#services/voice/ring_group_router'
import { menuInput } from '#services/voice/ivr_router'
import { conferencePin } from '#services/voice/conference_pin'
import { voicemailComplete } from '#services/voice/voicemail_router'
import { voicemailMenu } from '#services/voice/voicemail_menu'
import { deadEnd, type VoiceCall } from '#services/voice/voice_call'
import type { CxmlNode } from '#services/voice/cxml'

/* Ids and counters in our own action URLs; anything else (tampered, missing) is null. */
function count(value: unknown, max = 2_147_483_647): number | null {
  const n = typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : Number.NaN
  return Number.isInteger(n) && n >= 0 && n <= max ? n : null
}

/**
 * The voice application and its action callbacks: every answer is CXML with status 200,
 * including apologies, because Cloudonix and the edge treat anything else as a failure.
 */
export default class VoiceController {
  route(ctx: HttpContext) {
    return this.#answer(ctx, (call) => routeCall(call))
  }

  dialResult(ctx: HttpContext) {
    const q = ctx.request.qs()
    const id = count(q.extension)
    return this.#answer(ctx, (call) =>
      id ? extensionDialResult(call, id, q.forwarded === '1') : deadEnd(call, 'bad dial action'),
    )
  }

  ringGroupCallback(ctx: HttpContext) {
    const q = ctx.request.qs()
    const [id, stage, start] = [count(q.group), count(q.stage, 10_000), count(q.start)]
    return this.#answer(ctx, (call) =>
      id && stage !== null && start !== null
        ? ringGroupCallback(call, id, { stage, start })
        : deadEnd(call, 'bad ring group action'),
    )
  }

  ivrInput(ctx: HttpContext) {
    const q = ctx.request.qs()
    const [id, attempt] = [count(q.menu), count(q.attempt, 100)]
    return this.#answer(ctx, (call) =>
      id && attempt !== null ? menuInput(call, id, attempt) : deadEnd(call, 'bad IVR action'),
    )
  }

  conferencePin(ctx: HttpContext) {
    const q = ctx.request.qs()
    const [id, attempt] = [count(q.room), count(q.attempt, 100)]
    return this.#answer(ctx, (call) =>
      id && attempt !== null ? conferencePin(call, id, attempt) : deadEnd(call, 'bad PIN action'),
    )
  }

  voicemailComplete(ctx: HttpContext) {
    const id = count(ctx.request.qs().extension)
    return this.#answer(ctx, (call) =>
      id ? voicemailComplete(call, id) : deadEnd(call, 'bad voicemail action'),
    )
  }

  voicemailMenu(ctx: HttpContext) {
    const q = ctx.request.qs()
    const id = count(q.extension)
    const step = {
      step: String(q.step ?? ''),
      attempt: count(q.attempt, 100),
      message: count(q.message),
      s: q.s,
    }
    return this.#answer(ctx, (call) =>
      id ? voicemailMenu(call, id, step) : deadEnd(call, 'bad voicemail menu action'),
    )
  }

  async #answer(ctx: HttpContext, step: (call: VoiceCall) => Promise<CxmlNode> | CxmlNode) {
    const xml = await answerVoice(
      {
        body: ctx.request.body(),
        query: ctx.request.qs(),
        headers: ctx.request.headers(),
        requestId: ctx.requestId,
        authenticated: ctx.organization,
        resolved: ctx.webhookAuth,
      },
      async (call) => step(call),
    )
    ctx.response.header('Content-Type', 'application/xml; charset=utf-8')
    return ctx.response.send(xml)
  }
}
