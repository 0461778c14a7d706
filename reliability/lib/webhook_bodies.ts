/**
 * The bodies voip-edge sends for one inbound call (docs/webhooks.md, the contract's §6): the
 * routing request, the session updates and the CDR, as the webhook suites replay them. Each
 * builder returns the JSON text, since the signature covers the exact bytes sent.
 */
import { randomUUID } from 'node:crypto'

export const CALLER = '+15550001111'
/** A clean call: answered 7 s after it started, hung up 55 s later. */
const ANSWERED_AFTER_MS = 7000
const ENDED_AFTER_MS = 62_000

export type CallTarget = { domain: string; did: string; token: string; startedAt: number }

export function voiceRouteBody({ domain, did, token }: CallTarget): string {
  return JSON.stringify({
    CallSid: token,
    From: CALLER,
    To: did,
    Direction: 'inbound',
    Domain: domain,
    CallStatus: 'ringing',
    ApiVersion: '1',
  })
}

/** The session-update sequence of a clean call, in the order the edge sends it. */
export function sessionUpdateBodies(call: CallTarget): string[] {
  const answeredAt = call.startedAt + ANSWERED_AFTER_MS
  return [
    sessionUpdateBody(call, 'processing'),
    sessionUpdateBody(call, 'ringing'),
    sessionUpdateBody(call, 'connected', { callAnswerTime: answeredAt }),
    sessionUpdateBody(call, 'connected', {
      callAnswerTime: answeredAt,
      callEndTime: call.startedAt + ENDED_AFTER_MS,
    }),
  ]
}

export function sessionUpdateBody(
  { domain, did, token, startedAt }: CallTarget,
  status: string,
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    id: 1,
    token,
    eventId: randomUUID(),
    domain,
    callerId: CALLER,
    destination: did,
    direction: 'incoming',
    status,
    action: 'updated',
    reason: 'api',
    createdAt: new Date(startedAt).toISOString(),
    modifiedAt: new Date(startedAt + 1000).toISOString(),
    callStartTime: startedAt,
    callAnswerTime: null,
    ...extra,
  })
}

export function cdrBody({ domain, did, token, startedAt }: CallTarget): string {
  const endedAt = startedAt + ENDED_AFTER_MS
  return JSON.stringify({
    timestamp: Math.floor(endedAt / 1000),
    call_id: `${token}@127.0.0.1:5060`,
    from: CALLER,
    to: did,
    disposition: 'CONNECTED',
    duration: ENDED_AFTER_MS / 1000,
    billsec: (ENDED_AFTER_MS - ANSWERED_AFTER_MS) / 1000,
    domain,
    session: {
      id: 1,
      token,
      domain,
      callStartTime: startedAt,
      callAnswerTime: startedAt + ANSWERED_AFTER_MS,
      callEndTime: endedAt,
      status: 'connected',
    },
  })
}
