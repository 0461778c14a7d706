/**
 * The M5 CDR (contract §3.3): one per call, in Cloudonix's field names, built from a
 * finished CallSession's facts. `session.token` (= the A-leg Call-ID) is the app's dedupe key.
 */

import type { CallEnd } from '../b2bua/call_session.ts'

export type CdrDisposition = 'CONNECTED' | 'BUSY' | 'CANCEL' | 'NOANSWER' | 'FAILED' | 'ERROR'

export interface CallFacts {
  callId: string
  organizationId: string
  domain: string
  from: string
  to: string
  startedAt: number
  answeredAt: number | null
  endedAt: number
  endReason: CallEnd
  edgeAddress: string
}

export interface Cdr {
  timestamp: number
  call_id: string
  from: string
  to: string
  disposition: CdrDisposition
  /**
   * Why the edge ended the call (an addition to Cloudonix's fields): `media_lost` tells an
   * answered call cut because rtpengine lost its session from one the parties hung up;
   * `edge_restart` one that a restarted edge hung up after its predecessor crashed.
   */
  hangup_cause: CallEnd
  duration: number
  billsec: number
  domain: string
  subscriber: string | null
  cx_trunk_id: null
  application: null
  route: null
  rated_cost: null
  approx_cost: null
  sell_cost: null
  vapp_server: string
  session: {
    token: string
    domain: string
    destination: string
    callerId: string
    timeLimit: null
    callStartTime: number
    callAnswerTime: number | null
    callEndTime: number
    status: string
    vappServer: string
    profile: Record<string, unknown>
  }
  owner: { domain: { uuid: string } }
}

function disposition(facts: CallFacts): { disposition: CdrDisposition; status: string } {
  if (facts.answeredAt !== null) return { disposition: 'CONNECTED', status: 'connected' }
  switch (facts.endReason) {
    case 'busy':
      return { disposition: 'BUSY', status: 'busy' }
    case 'cancel':
      return { disposition: 'CANCEL', status: 'cancel' }
    case 'noanswer':
      return { disposition: 'NOANSWER', status: 'noanswer' }
    case 'rejected':
      return { disposition: 'FAILED', status: 'error' }
    default:
      return { disposition: 'ERROR', status: 'error' }
  }
}

export function buildCdr(facts: CallFacts): Cdr {
  const { disposition: value, status } = disposition(facts)
  const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000))
  return {
    timestamp: Math.floor(facts.endedAt / 1000),
    call_id: facts.callId,
    from: facts.from,
    to: facts.to,
    disposition: value,
    hangup_cause: facts.endReason,
    duration: seconds(facts.endedAt - facts.startedAt),
    billsec: facts.answeredAt === null ? 0 : seconds(facts.endedAt - facts.answeredAt),
    domain: facts.domain,
    subscriber: facts.from,
    cx_trunk_id: null,
    application: null,
    route: null,
    rated_cost: null,
    approx_cost: null,
    sell_cost: null,
    vapp_server: facts.edgeAddress,
    session: {
      token: facts.callId,
      domain: facts.domain,
      destination: facts.to,
      callerId: facts.from,
      timeLimit: null,
      callStartTime: facts.startedAt,
      callAnswerTime: facts.answeredAt,
      callEndTime: facts.endedAt,
      status,
      vappServer: facts.edgeAddress,
      profile: {},
    },
    owner: { domain: { uuid: facts.organizationId } },
  }
}
