import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import CallControlPolicy from '#policies/call_control_policy'
import AuditTrail from '#services/audit/audit_trail'
import CallControl from '#services/calls/call_control'
import liveCallFeed from '#services/calls/live_call_feed'
import { serializeCallLog } from '#transformers/call_log_transformer'
import { transferCallValidator } from '#validators/call_control'
import { endOnShutdown } from '#services/http/long_lived_responses'

/* Comment lines keep proxies and browsers from closing an idle stream. */
const HEARTBEAT_MS = 15_000
const LIVE_LIMIT = 200

/**
 * The live calls page: the calls in progress when the page loads, then a server-sent event
 * stream of state changes (Redis pub/sub, so any web process can serve it). Hang-up and
 * transfer go through CallControl, like POST /api/v1/calls/:id/hangup|transfer.
 */
@inject()
export default class LiveCallsController {
  constructor(protected calls: CallControl) {}

  async index({ inertia, organization, bouncer }: HttpContext) {
    await bouncer.with(CallControlPolicy).authorize('viewAny')
    const calls = await this.calls
      .activeCalls(organization)
      .orderBy([
        { column: 'initiated_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(LIVE_LIMIT)
    return inertia.render('calls/live', {
      calls: calls.map(serializeCallLog),
      serverNow: new Date().toISOString(),
      timezone: organization.timezone,
      canControl: {
        hangup: await bouncer.with(CallControlPolicy).allows('hangup'),
        transfer: await bouncer.with(CallControlPolicy).allows('transfer'),
      },
    })
  }

  async events({ response, organization, bouncer }: HttpContext) {
    await bouncer.with(CallControlPolicy).authorize('viewAny')
    const raw = response.response
    raw.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    })
    // The handler stays pending while the browser listens; the response's 'close' is the
    // connection going away (the request's own 'close' fires as soon as its body is read).
    // Listened to before anything is awaited: a stream ended while Redis acknowledges (the
    // browser leaving, or a reconnect during shutdown) would otherwise never be seen to
    // close, and its heartbeat timer would keep the process alive after SIGTERM.
    const closed = new Promise<void>((resolve) => raw.once('close', () => resolve()))
    endOnShutdown(raw)
    const stop = await liveCallFeed.subscribe(organization, (event) => {
      raw.write(`event: call\ndata: ${JSON.stringify(event)}\n\n`)
    })
    // Sent once Redis acknowledged the subscription: the page re-reads the list then.
    raw.write(`retry: 3000\nevent: ready\ndata: ${JSON.stringify({ at: new Date() })}\n\n`)
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS)
    await closed
    clearInterval(heartbeat)
    stop()
    if (!raw.writableEnded) raw.end()
  }

  async hangup(ctx: HttpContext) {
    await ctx.bouncer.with(CallControlPolicy).authorize('hangup')
    const call = await this.calls.hangup(
      ctx.organization,
      ctx.params.id,
      AuditTrail.fromRequest(ctx),
    )
    ctx.session.flash('success', `Hang-up sent for the call from ${call.fromNumber}.`)
    return ctx.response.redirect().toPath('/calls/live')
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
    ctx.session.flash(
      'success',
      `Call from ${result.call.fromNumber} transferred to ${result.target.number}.`,
    )
    return ctx.response.redirect().toPath('/calls/live')
  }
}
