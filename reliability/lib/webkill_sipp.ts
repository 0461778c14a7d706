/**
 * The caller of the web-kill suite (R14): a sipp scenario that logs, per call, when its
 * INVITE left, when early media (the edge's apology) began, which final response came
 * and its Retry-After, and when the call ended, as `W|<call-id>|<event>|<sipp timestamp>|…`
 * lines (-trace_logs). sipp's own counters cannot say which final answer each call got or
 * when; the suite needs both for every call of the outage.
 */

/** Final responses a caller may get on either INVITE; anything else aborts the call. */
const FINALS = [400, 403, 404, 408, 480, 481, 486, 487, 488, 500, 502, 503, 504, 603]

const invite = (cseq: number, auth: boolean) => `
  <send retrans="500" start_txn="inv${cseq}">
    <![CDATA[

      INVITE sip:[field3]@[field2] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: <sip:[field0]@[field2]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[field3]@[field2]>
      Call-ID: [call_id]
      CSeq: ${cseq} INVITE${auth ? '\n      [field1]' : ''}
      Contact: <sip:[field0]@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 8 101
      a=rtpmap:8 PCMA/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-15
      a=sendrecv

    ]]>
  </send>`

/*
 * The ACK of a non-2xx answer belongs to the INVITE's transaction (RFC 3261 §17.1.1.3): it
 * carries that INVITE's branch, or the edge retransmits its answer until Timer H. sipp names
 * it by distance, [branch-N], counting the scenario's elements (labels are not elements); the
 * distances follow the layout of callerScenario() below.
 */
const F = FINALS.length
const BACK_TO_INVITE1_FROM_407_ACK = F + 3
const BACK_TO_INVITE1_FROM_FAILURE_ACK = 2 * F + 16
const BACK_TO_INVITE2_FROM_FAILURE_ACK = F + 13

const ackFailure = (cseq: number, back: number) => `
  <send ack_txn="inv${cseq}">
    <![CDATA[

      ACK sip:[field3]@[field2] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch-${back}];rport
      From: <sip:[field0]@[field2]>;tag=[pid]SIPpTag00[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: ${cseq} ACK
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>`

const log = (event: string, extra = '') =>
  `<log message="W|[call_id]|${event}|[timestamp]${extra}"/>`

/** One optional recv per failure code: logs it with its Retry-After, then ACKs it. */
const failures = (cseq: number) =>
  FINALS.map(
    (code) => `
  <recv response_txn="inv${cseq}" response="${code}" optional="true" next="failed${cseq}">
    <action>
      <ereg regexp="[0-9]+" search_in="hdr" header="Retry-After:" assign_to="ra"/>
      ${log('final', `|${code}|[$ra]`)}
    </action>
  </recv>`,
  ).join('')

export function callerScenario(holdMs: number): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="webkill_uac">
  <nop><action>${log('invite')}</action></nop>
  ${invite(1, false)}
  <recv response_txn="inv1" response="100" optional="true"/>
  ${failures(1)}
  <recv response_txn="inv1" response="407" auth="true"/>
  ${ackFailure(1, BACK_TO_INVITE1_FROM_407_ACK)}
  <nop><action>${log('authenticated')}</action></nop>
  ${invite(2, true)}
  <recv response_txn="inv2" response="100" optional="true"/>
  <recv response_txn="inv2" response="180" optional="true"/>
  <recv response_txn="inv2" response="183" optional="true">
    <action>${log('early')}</action>
  </recv>
  ${failures(2)}
  <recv response_txn="inv2" response="200" rrs="true">
    <action>${log('final', '|200|')}</action>
  </recv>
  <send ack_txn="inv2">
    <![CDATA[

      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: <sip:[field0]@[field2]>;tag=[pid]SIPpTag00[call_number]
      [last_To:]
      [routes]
      Call-ID: [call_id]
      CSeq: 2 ACK
      Contact: <sip:[field0]@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <nop><action><exec play_pcap_audio="pcap/dtmf_2833_1.pcap"/></action></nop>
  <pause milliseconds="${holdMs}"/>
  <send retrans="500">
    <![CDATA[

      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: <sip:[field0]@[field2]>;tag=[pid]SIPpTag00[call_number]
      [last_To:]
      [routes]
      Call-ID: [call_id]
      CSeq: 3 BYE
      Contact: <sip:[field0]@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
  <recv response="200">
    <action>${log('ended')}</action>
  </recv>
  <nop next="done"/>
  <label id="failed1"/>
  ${ackFailure(1, BACK_TO_INVITE1_FROM_FAILURE_ACK)}
  <nop next="done"/>
  <label id="failed2"/>
  ${ackFailure(2, BACK_TO_INVITE2_FROM_FAILURE_ACK)}
  <label id="done"/>
</scenario>
`
}

export type CallRecord = {
  callId: string
  /** Epoch ms of the first INVITE (before the 407 challenge). */
  invitedAt: number
  /** Epoch ms of the INVITE with credentials, the one the edge routes; null if challenged no further. */
  authenticatedAt: number | null
  earlyAt: number | null
  final: { status: number; at: number; retryAfter: string } | null
  endedAt: number | null
}

/** Reads the `W|…` lines of the caller's log file into one record per call. */
export function parseCallLog(text: string): CallRecord[] {
  const calls = new Map<string, CallRecord>()
  for (const line of text.split('\n')) {
    if (!line.startsWith('W|')) continue
    const [, callId, event, timestamp, status, retryAfter] = line.split('|')
    // sipp's [timestamp] is "date<TAB>time<TAB>epoch.micros".
    const at = Math.round(Number(timestamp.split('\t')[2]) * 1000)
    let call = calls.get(callId)
    if (!call) {
      call = {
        callId,
        invitedAt: at,
        authenticatedAt: null,
        earlyAt: null,
        final: null,
        endedAt: null,
      }
      calls.set(callId, call)
    }
    if (event === 'invite') call.invitedAt = at
    else if (event === 'authenticated') call.authenticatedAt = at
    else if (event === 'early') call.earlyAt ??= at
    else if (event === 'final')
      call.final ??= { status: Number(status), at, retryAfter: (retryAfter ?? '').trim() }
    else if (event === 'ended') call.endedAt = at
  }
  return [...calls.values()]
}
