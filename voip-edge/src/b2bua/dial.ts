/**
 * CXML <Dial> to registered extensions: one offer to rtpengine, one B-leg INVITE per
 * binding (parallel forking), first 2xx wins and the others are CANCELled (or BYE'd when
 * they answered too late), and both dialogs are wired so a BYE on either side ends both.
 */
import { parseUri } from '../sip/uri.ts'
import type { Binding } from '../registrar/binding_store.ts'
import type { SignalingPeer, SignalingPort } from '../signaling/signaling_port.ts'
import type { CallSession } from './call_session.ts'
import { takeCallerMediaStale } from './caller_media.ts'

export interface DialTargetBinding {
  aorUri: string
  exists: boolean
  bindings: Binding[]
  /** Digest credentials answering a 401/407 from the binding's source (SIP trunks). */
  credentials?: { username: string; password: string }
  /** From of this target's INVITEs when it differs from the caller's (a trunk's caller id). */
  from?: string
}

export type DialResult =
  'bridged' | { status: number; reason?: string; dialStatus?: 'busy' | 'no-answer' | 'failed' }

export interface DialDeps {
  port: SignalingPort
  targets: DialTargetBinding[]
  timeoutSec: number
  callerUri: string
  sdp: string
  /** Extra INVITE headers on every fork. */
  headers?: Array<{ name: string; value: string }>
  /**
   * Gives up with 408 when no fork sent any provisional response by then (a dead trunk must
   * fail over quickly instead of waiting for Timer B).
   */
  noResponseMs?: number
}

/**
 * Where to reach a registered phone: over its TCP flow when it has one; otherwise at its
 * Contact when that matches where the REGISTER came from, else at the observed source (NAT).
 */
export function destinationFor(binding: Binding): SignalingPeer {
  if (binding.source.flowId) return binding.source
  try {
    const contact = parseUri(binding.contact)
    if (contact.host === binding.source.address) {
      return {
        protocol: binding.source.protocol,
        address: contact.host,
        port: contact.port ?? 5060,
      }
    }
  } catch {
    // fall through to the observed source
  }
  return binding.source
}

function preferred(current: number, next: number): number {
  const rank = (status: number) =>
    status >= 600 ? 4 : status === 486 ? 3 : status === 487 ? 1 : status === 0 ? 0 : 2
  return rank(next) > rank(current) ? next : current
}

export async function dial(session: CallSession, deps: DialDeps): Promise<DialResult> {
  if (!deps.targets.some((target) => target.exists)) return { status: 404 }
  const legs = deps.targets.flatMap((target) =>
    target.bindings.map((binding) => ({ target, binding })),
  )
  // Nothing registered: unreachable (the forwarding rule for it), not a ring without answer.
  if (legs.length === 0)
    return { status: 480, reason: 'Temporarily Unavailable (not registered)', dialStatus: 'failed' }

  let offer: string
  try {
    offer = await session.offer(deps.sdp)
  } catch (error) {
    session.log.error({ err: error }, 'rtpengine offer failed')
    return { status: 503 }
  }
  if (session.cleanedUp) return { status: 487 }

  let ringing = false
  let earlyMedia = false
  let silence: ReturnType<CallSession['setTimer']> | null = null
  const forks = legs.map(({ target, binding }) =>
    deps.port.createUac({
      target: binding.contact,
      peer: destinationFor(binding),
      from: target.from ?? deps.callerUri,
      to: `<${target.aorUri}>`,
      localSdp: offer,
      headers: deps.headers,
      credentials: target.credentials,
      onProvisional: (status, sdp, remoteTag) => {
        session.clearTimer(silence)
        // Early media (183 + SDP) is passed through rtpengine to the caller (contract §6.4:
        // Dial does not answer the A-leg). Only the first fork with media is relayed.
        if (sdp !== null && remoteTag !== null && !earlyMedia) {
          earlyMedia = true
          void session.answer(remoteTag, sdp).then(
            (answer) => session.a.progress(183, answer),
            (error: unknown) =>
              session.log.warn({ err: error }, 'early media could not be anchored'),
          )
          if (!ringing) session.onStatus?.(session, 'ringing')
          ringing = true
          return
        }
        if (!ringing && !earlyMedia && status > 100) {
          ringing = true
          session.a.progress(180)
          session.onStatus?.(session, 'ringing')
        }
      },
    }),
  )
  session.forks.push(...forks)

  return new Promise<DialResult>((resolve) => {
    let settled = false
    let remaining = forks.length
    let best = 0
    const finish = (result: DialResult) => {
      if (settled) return
      settled = true
      session.clearTimer(timer)
      session.clearTimer(silence)
      resolve(result)
    }
    const timer = session.setTimer(deps.timeoutSec * 1000, () => {
      for (const fork of forks) fork.cancel()
      finish({ status: 480 })
    })
    if (deps.noResponseMs !== undefined)
      silence = session.setTimer(deps.noResponseMs, () => {
        for (const fork of forks) fork.cancel()
        finish({ status: 408 })
      })
    for (const fork of forks) {
      void fork.outcome.then(async (outcome) => {
        if (outcome.kind === 'failed') {
          best = preferred(best, outcome.status)
          if (--remaining === 0) finish({ status: best })
          return
        }
        if (settled || session.cleanedUp) {
          // A second fork (or one racing a CANCEL) answered: it loses.
          void outcome.dialog.bye()
          return
        }
        settled = true
        session.clearTimer(timer)
        session.clearTimer(silence)
        for (const other of forks) if (other !== fork) other.cancel()
        const bDialog = outcome.dialog
        session.bDialog = bDialog
        try {
          const answer = await session.answer(bDialog.remoteTag, outcome.sdp)
          // After an IVR the caller is answered already: B just takes over the media anchor.
          const accepted =
            session.a.state === 'confirmed'
              ? Promise.resolve(session.a.dialog!)
              : session.a.answer(answer)
          const aDialog = session.a.dialog!
          aDialog.onRemoteBye(() => {
            void bDialog.bye()
            void session.cleanup('completed')
          })
          bDialog.onRemoteBye(() => {
            void aDialog.bye()
            void session.cleanup('completed')
          })
          // re-INVITEs (hold/resume) are relayed through rtpengine in both directions.
          const aTag = session.a.fromTag
          aDialog.onModify((sdp) => session.reoffer(aTag, bDialog.remoteTag, sdp, bDialog))
          bDialog.onModify((sdp) => session.reoffer(bDialog.remoteTag, aTag, sdp, aDialog))
          if (session.answeredAt === null) {
            session.answeredAt = Date.now()
            session.onStatus?.(session, 'connected')
          }
          // Transferred caller: its rtpengine side may have moved, tell the phone (re-INVITE;
          // its answer repeats the address rtpengine already knows).
          if (session.a.state === 'confirmed' && takeCallerMediaStale(session))
            await aDialog.modify(answer).catch((error: unknown) => {
              session.log.warn({ err: error }, 'caller re-INVITE after transfer failed')
            })
          resolve('bridged')
          await accepted
        } catch (error) {
          session.log.warn({ err: error }, 'bridging failed')
          void bDialog.bye()
          if (session.a.state === 'early') session.a.reject(503)
          resolve('bridged')
          await session.cleanup('failed')
        }
      })
    }
  })
}
