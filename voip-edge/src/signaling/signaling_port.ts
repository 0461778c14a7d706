/**
 * The call-control seam between the application layer (B2BUA, CXML interpreter) and a SIP
 * stack. The native TypeScript core implements it (native_port.ts); a drachtio-srf adapter
 * can implement the same contract later. Code above this interface must not import SIP
 * stack internals, only these types.
 */

export type SignalingTransport = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss'

export interface SignalingPeer {
  protocol: SignalingTransport
  address: string
  port: number
  /** Connection to reuse (connection-oriented transports). */
  flowId?: string | null
}

export interface ExtraHeader {
  name: string
  value: string
}

/**
 * A REFER from the peer (RFC 3515) with its Refer-To value: the answer's status is sent
 * (202 to accept), then `accepted` runs (NOTIFY the outcome, carry out the transfer).
 */
export type ReferListener = (
  referTo: string,
) => Promise<{ status: number; reason?: string; accepted?: () => Promise<void> }>

/**
 * What it takes to send an in-dialog request from another process (a restarted edge's BYE):
 * tags, the From/To values without tags, the remote target, our last CSeq and the peer.
 */
export interface DialogSnapshot {
  callId: string
  localTag: string
  remoteTag: string
  localUri: string
  remoteUri: string
  remoteTarget: string
  localSeq: number
  peer: SignalingPeer
}

/** An established dialog (either leg). */
export interface CallDialog {
  readonly id: string
  readonly callId: string
  readonly remoteTag: string
  readonly terminated: boolean
  /** Sends a re-INVITE with `sdp`; resolves with the peer's answer SDP. */
  modify(sdp: string): Promise<string>
  /** Sends BYE; resolves with the final status (408/503 when the peer is gone). */
  bye(): Promise<number>
  onRemoteBye(listener: () => void): void
  /** Handles a re-INVITE/UPDATE from the peer: return the answer SDP, or null to refuse (488). */
  onModify(listener: (sdp: string) => Promise<string | null>): void
  /** REFER handling (blind transfer); optional: ports without it answer REFER 501. */
  onRefer?(listener: ReferListener): void
  /** NOTIFY in the REFER subscription with a sipfrag status line. */
  notifyRefer?(sipfrag: string, final: boolean): Promise<number>
  /** The dialog's state for persistence; ports that cannot send from it leave it out. */
  snapshot?(): DialogSnapshot
}

export type InboundCallState = 'early' | 'answering' | 'confirmed' | 'ended'

/** An incoming INVITE not yet answered (the UAS side). */
export interface InboundCall {
  readonly callId: string
  readonly fromTag: string
  readonly method: 'INVITE'
  /** Header values by (case-insensitive, compact-form aware) name. */
  headers(name: string): string[]
  readonly requestUri: string
  readonly sdp: string
  readonly source: SignalingPeer
  readonly state: InboundCallState
  readonly dialog: CallDialog | null
  /** Provisional response; with `sdp` (183) it carries early media. */
  progress(status?: number, sdp?: string): void
  reject(status: number, reason?: string, headers?: ExtraHeader[]): void
  /** createUas: answers with `localSdp`; resolves with the dialog once the ACK arrives. */
  answer(localSdp: string): Promise<CallDialog>
  onCancel(listener: () => void): void
  /** Stops 2xx retransmission and other timers; for call cleanup on every path. */
  release(): void
}

export type OutboundOutcome =
  | { kind: 'answered'; dialog: CallDialog; sdp: string }
  | { kind: 'failed'; status: number; reason: string }

export interface OutboundCallOptions {
  /** Request-URI (for a registered phone: its Contact). */
  target: string
  peer: SignalingPeer
  /** From/To header values without tags. */
  from: string
  to: string
  localSdp: string
  /** Extra INVITE headers (e.g. P-Asserted-Identity towards a carrier). */
  headers?: ExtraHeader[]
  /**
   * Digest credentials for a SIP trunk: one 401/407 from `peer` (and only from it) is
   * answered by re-sending the INVITE with Authorization/Proxy-Authorization.
   */
  credentials?: { username: string; password: string }
  /** Provisional responses above 100; `sdp` is set when the callee sends early media (183). */
  onProvisional?(status: number, sdp: string | null, remoteTag: string | null): void
}

/** An outgoing INVITE (the UAC side): started at once, settles on answer or failure. */
export interface OutboundCall {
  readonly outcome: Promise<OutboundOutcome>
  cancel(): void
}

export interface InboundRegister {
  headers(name: string): string[]
  readonly requestUri: string
  readonly source: SignalingPeer
}

export interface RegisterReply {
  status: number
  reason?: string
  headers?: ExtraHeader[]
}

/** A SUBSCRIBE: a new subscription (toTag null) or a refresh within one (RFC 6665). */
export interface InboundSubscribe {
  headers(name: string): string[]
  readonly requestUri: string
  readonly source: SignalingPeer
  readonly callId: string
  readonly fromTag: string | null
  readonly toTag: string | null
}
/** The answer to a SUBSCRIBE; `toTag` is the dialog's local tag on a new subscription. */
export interface SubscribeReply extends RegisterReply {
  toTag?: string
}
/** A request inside an existing dialog we track ourselves (NOTIFY of a subscription). */
export interface DialogRequestOptions {
  method: string
  target: string
  peer: SignalingPeer
  callId: string
  /** Full From/To values, tags included. */
  from: string
  to: string
  cseq: number
  headers?: ExtraHeader[]
  body?: string
}
export interface SignalingPort {
  /** SUBSCRIBE handling (MWI); optional: ports without it answer SUBSCRIBE 405. */
  onSubscribe?(handler: (subscribe: InboundSubscribe) => Promise<SubscribeReply>): void
  /** Sends a request built from `options`; resolves with the final status (408 on timeout). */
  sendDialogRequest?(options: DialogRequestOptions): Promise<number>
  onInvite(handler: (call: InboundCall) => void): void
  onRegister(handler: (register: InboundRegister) => Promise<RegisterReply>): void
  createUac(options: OutboundCallOptions): OutboundCall
  /** Out-of-dialog request (OPTIONS ping, MESSAGE…); resolves with the final status. */
  request(options: {
    method: string
    target: string
    peer: SignalingPeer
    from: string
    to: string
  }): Promise<number>
}
