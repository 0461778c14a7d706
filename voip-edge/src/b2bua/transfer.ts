/**
 * Blind transfer of a bridged call: the B leg is released and the A leg (the caller, still
 * anchored in rtpengine) is routed to the target exactly like a new call from the same caller
 * to that number — a fresh M1 to the app — so the tenant's rules (extensions, ring groups,
 * forwarding, trunks and toll-fraud checks) apply. Two triggers: the control API
 * (`POST /v1/calls/<callId>/transfer`) and a REFER from the B-leg phone (RFC 3515: 202,
 * NOTIFY with a sipfrag, then the transfer). A Refer-To is only honoured inside the caller's
 * tenant: another domain is refused 403.
 */
import type { Logger } from 'pino'
import { parseNameAddr } from '../sip/uri.ts'
import type { CallDialog } from '../signaling/signaling_port.ts'
import type { CallSession } from './call_session.ts'
import { markCallerMediaStale } from './caller_media.ts'

/** An extension number/username of the tenant, or an E.164 number. */
const TARGET = /^(?:\+[1-9]\d{1,14}|[A-Za-z0-9][A-Za-z0-9._-]{0,63})$/

export function validTransferTarget(target: unknown): target is string {
  return typeof target === 'string' && TARGET.test(target)
}

export type TransferResult = 'transferred' | 'not-found' | 'not-answered' | 'invalid-target'

/** Runs the tenant's routing for `to` on the (answered) call; resolves once it is settled. */
export type RouteTo = (to: string) => Promise<void>

export class CallTransfers {
  readonly #routes = new Map<string, { session: CallSession; routeTo: RouteTo }>()
  readonly #logger: Logger

  constructor(logger: Logger) {
    this.#logger = logger
  }

  /**
   * Makes a call transferable; REFER is armed on every B leg it gets bridged to (the first
   * one announces itself through the `connected` status).
   */
  track(session: CallSession, routeTo: RouteTo): void {
    this.#routes.set(session.callId, { session, routeTo })
    void session.ended.then(() => this.#routes.delete(session.callId))
    const onStatus = session.onStatus
    session.onStatus = (current, status) => {
      if (status === 'connected' && current.bDialog) this.#armRefer(current, current.bDialog)
      onStatus?.(current, status)
    }
  }

  async transfer(callId: string, target: string): Promise<TransferResult> {
    if (!validTransferTarget(target)) return 'invalid-target'
    const entry = this.#routes.get(callId)
    if (!entry || entry.session.cleanedUp) return 'not-found'
    const { session } = entry
    if (session.a.state !== 'confirmed' || !session.bDialog || session.bDialog.terminated)
      return 'not-answered'
    await this.#carryOut(session, entry.routeTo, target)
    return 'transferred'
  }

  async #carryOut(session: CallSession, routeTo: RouteTo, target: string): Promise<void> {
    const old = session.bDialog!
    const aDialog = session.a.dialog!
    const log = session.log.child({ transferTo: target })
    // From here the old B leg no longer ends the call, and the caller hanging up while the
    // target rings ends everything.
    old.onRemoteBye(() => undefined)
    old.onModify(async () => null)
    aDialog.onRemoteBye(() => void session.cleanup('completed'))
    aDialog.onModify(async () => null)
    session.bDialog = null
    markCallerMediaStale(session)
    await old.bye()
    log.info('blind transfer: B leg released, routing the caller to the target')
    try {
      await routeTo(target)
    } catch (error) {
      log.warn({ err: error }, 'transfer routing failed')
      await aDialog.bye().catch(() => undefined)
      await session.cleanup('failed')
      return
    }
    const next = session.bDialog as CallDialog | null
    if (next && !next.terminated && !session.cleanedUp) this.#armRefer(session, next)
  }

  /** A REFER from the B-leg phone transfers the caller (the referrer leaves the call). */
  #armRefer(session: CallSession, dialog: CallDialog): void {
    if (!dialog.onRefer || !dialog.notifyRefer) return
    dialog.onRefer(async (referTo) => {
      let user: string
      let host: string
      try {
        const uri = parseNameAddr(referTo).uri
        if (uri.user === null || uri.headers !== null) throw new Error('no user part')
        user = decodeURIComponent(uri.user)
        host = uri.host.toLowerCase()
      } catch {
        return { status: 400, reason: 'Bad Request (Refer-To)' }
      }
      if (host !== session.facts.domain.toLowerCase()) {
        this.#logger.warn(
          { callId: session.callId, referTo, domain: session.facts.domain },
          'REFER to another domain refused',
        )
        return { status: 403, reason: 'Forbidden (transfer target outside the tenant)' }
      }
      if (!validTransferTarget(user)) return { status: 400, reason: 'Bad Request (Refer-To)' }
      const entry = this.#routes.get(session.callId)
      if (!entry || session.bDialog !== dialog || session.a.state !== 'confirmed')
        return { status: 481, reason: 'Call Does Not Exist' }
      return {
        status: 202,
        reason: 'Accepted',
        accepted: async () => {
          // Blind transfer: the referrer learns at once that we took over, then is released.
          await dialog.notifyRefer!('SIP/2.0 200 OK', true)
          await this.#carryOut(session, entry.routeTo, user)
        },
      }
    })
  }
}
