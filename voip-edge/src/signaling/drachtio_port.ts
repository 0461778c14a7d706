/**
 * `SignalingPort` on drachtio-srf: the SIP stack is a drachtio daemon reached over its TCP
 * control protocol, and this adapter maps srf's requests, responses and dialogs onto the port
 * types, so the B2BUA and registrar run unchanged on either stack. Only this file imports
 * drachtio-srf (a layering test enforces it).
 *
 * Differences the daemon imposes, kept invisible above the port: srf resolves a UAS dialog
 * when the 200 is sent, the port only once the ACK arrives; srf hides the BYE's final status
 * behind `destroy()`, so BYE goes through `dialog.request()`; connection reuse (flowId) and
 * 2xx retransmission are the daemon's business.
 */
import type { EventEmitter } from 'node:events'
import Srf from 'drachtio-srf'
import type { Logger } from 'pino'
import type {
  CallDialog,
  ExtraHeader,
  InboundCall,
  InboundCallState,
  InboundRegister,
  OutboundCall,
  OutboundCallOptions,
  OutboundOutcome,
  RegisterReply,
  SignalingPeer,
  SignalingPort,
  SignalingTransport,
} from './signaling_port.ts'

/** The parts of drachtio-srf's objects this adapter uses (its bundled typings are partial). */
interface SrfMessage {
  readonly method?: string
  readonly uri: string
  readonly body?: string
  readonly status: number
  readonly reason: string
  get(name: string): string | undefined
  has(name: string): boolean
}
interface SrfRequest extends SrfMessage, EventEmitter {
  readonly source_address: string
  readonly source_port: number
  readonly protocol: string
  cancel(): void
}
interface SrfResponse extends SrfMessage {
  send(status: number, reason?: string, opts?: SendOptions): void
  send(status: number, opts?: SendOptions): void
}
interface SendOptions {
  headers?: Record<string, string>
  body?: string
}
interface SrfDialog extends EventEmitter {
  readonly id: string
  readonly sip: { callId: string; remoteTag: string; localTag: string }
  readonly remote: { sdp: string }
  modify(sdp: string): Promise<string>
  request(opts: { method: string; headers?: Record<string, string> }): Promise<SrfMessage>
}
interface SrfInstance extends EventEmitter {
  connect(opts: { host: string; port: number; secret: string }): void
  disconnect(): void
  invite(handler: (req: SrfRequest, res: SrfResponse) => void): void
  register(handler: (req: SrfRequest, res: SrfResponse) => void): void
  options(handler: (req: SrfRequest, res: SrfResponse) => void): void
  createUAS(
    req: SrfRequest,
    res: SrfResponse,
    opts: SendOptions & { localSdp: string },
  ): Promise<SrfDialog>
  createUAC(
    uri: string,
    opts: SendOptions & { localSdp: string; proxy: string },
    callbacks: {
      cbRequest(err: Error | null, req?: SrfRequest): void
      cbProvisional(res: SrfMessage): void
    },
  ): Promise<SrfDialog>
  request(
    uri: string,
    opts: { method: string; proxy: string; headers: Record<string, string> },
    callback: (error: Error | null, sent?: SrfRequest) => void,
  ): void
}

export interface DrachtioPortOptions {
  host: string
  port: number
  secret: string
  logger: Logger
  /** How long start() waits for the daemon to accept the connection. */
  connectTimeoutMs?: number
}

const ALLOW = 'INVITE, ACK, CANCEL, BYE, OPTIONS, REGISTER'
const SDP = { 'Content-Type': 'application/sdp' }

/**
 * srf keeps one string per header name and writes it as one line; a repeated header (two
 * digest challenges, several Contacts) must stay separate lines on the wire, so later values
 * are appended as further `Name: value` lines.
 */
function headerObject(headers: ExtraHeader[] | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const { name, value } of headers ?? [])
    out[name] = out[name] === undefined ? value : `${out[name]}\r\n${name}: ${value}`
  return out
}

function tagOf(value: string | undefined): string {
  return /;\s*tag=([^;>\s]+)/i.exec(value?.slice(value.lastIndexOf('>') + 1) ?? '')?.[1] ?? ''
}

function transportOf(protocol: string | undefined): SignalingTransport {
  const lower = (protocol ?? 'udp').toLowerCase()
  return (['udp', 'tcp', 'tls', 'ws', 'wss'] as const).find((name) => name === lower) ?? 'udp'
}

function peerOf(req: SrfRequest): SignalingPeer {
  return {
    protocol: transportOf(req.protocol),
    address: req.source_address,
    port: Number(req.source_port),
    flowId: null,
  }
}

function proxyOf(peer: SignalingPeer): string {
  return `sip:${peer.address}:${peer.port};transport=${peer.protocol}`
}

/** srf joins repeated headers with commas; a one-element list keeps that value intact. */
function headerValues(message: SrfMessage, name: string): string[] {
  const value = message.get(name)
  return value === undefined ? [] : [value]
}

/**
 * A port dialog over an srf dialog. On the UAS side the port hands out the dialog as soon as
 * answer() is called (the native core builds it synchronously, and the B2BUA wires BYE and
 * re-INVITE relays at once), while srf only produces its dialog after the daemon confirmed
 * the 200; so the srf dialog can be bound late, and calls made before that wait for it.
 */
class DrachtioDialog implements CallDialog {
  readonly callId: string
  readonly remoteTag: string
  #id: string
  #terminated = false
  #srf: SrfDialog | null = null
  readonly #bound: Promise<SrfDialog | null>
  #bind: (dialog: SrfDialog | null) => void = () => undefined
  readonly #onEnd: () => void

  constructor(ids: { id: string; callId: string; remoteTag: string }, onEnd: () => void) {
    this.#id = ids.id
    this.callId = ids.callId
    this.remoteTag = ids.remoteTag
    this.#onEnd = onEnd
    this.#bound = new Promise((resolve) => (this.#bind = resolve))
  }

  get id(): string {
    return this.#id
  }

  get terminated(): boolean {
    return this.#terminated
  }

  /** Attaches the srf dialog (null: it never came to be, e.g. the 200 could not be sent). */
  bind(dialog: SrfDialog | null): void {
    if (dialog) {
      this.#srf = dialog
      this.#id = dialog.id
      dialog.on('destroy', () => this.#end())
    } else this.#end()
    this.#bind(dialog)
  }

  /** Stops counting the dialog without signalling (the call was released before its ACK). */
  forget(): void {
    this.#onEnd()
  }

  #end(): void {
    if (this.#terminated) return
    this.#terminated = true
    this.#onEnd()
  }

  async modify(sdp: string): Promise<string> {
    const dialog = this.#srf ?? (await this.#bound)
    if (this.#terminated || !dialog) throw new Error('dialog terminated')
    try {
      return await dialog.modify(sdp)
    } catch (error) {
      const status = (error as { status?: number }).status
      throw new Error(status ? `re-INVITE refused with ${status}` : String(error))
    }
  }

  async bye(): Promise<number> {
    if (this.#terminated) return 0
    this.#end()
    const dialog = this.#srf ?? (await this.#bound)
    if (!dialog) return 0
    try {
      const response = await dialog.request({ method: 'BYE' })
      return response.status
    } catch {
      // The daemon no longer knows the dialog or the connection is gone.
      return 503
    }
  }

  onRemoteBye(listener: () => void): void {
    void this.#bound.then((dialog) => dialog?.on('destroy', () => listener()))
  }

  onModify(listener: (sdp: string) => Promise<string | null>): void {
    const handle = (req: SrfRequest, res: SrfResponse) => {
      void listener(req.body ?? '')
        .catch(() => null)
        .then((answer) =>
          answer === null ? res.send(488) : res.send(200, { body: answer, headers: { ...SDP } }),
        )
    }
    void this.#bound.then((dialog) => {
      dialog?.on('modify', handle)
      dialog?.on('update', handle)
    })
  }
}

class DrachtioInboundCall implements InboundCall {
  readonly method = 'INVITE' as const
  readonly callId: string
  readonly fromTag: string
  readonly requestUri: string
  readonly sdp: string
  readonly source: SignalingPeer
  #state: InboundCallState = 'early'
  #dialog: DrachtioDialog | null = null
  #cancelListener: (() => void) | null = null
  #ackWaiter: { reject(error: Error): void } | null = null
  readonly #port: DrachtioSignalingPort
  readonly #req: SrfRequest
  readonly #res: SrfResponse

  constructor(port: DrachtioSignalingPort, req: SrfRequest, res: SrfResponse) {
    this.#port = port
    this.#req = req
    this.#res = res
    this.callId = req.get('call-id') ?? ''
    this.fromTag = tagOf(req.get('from'))
    this.requestUri = req.uri
    this.sdp = req.body ?? ''
    this.source = peerOf(req)
    req.on('cancel', () => {
      if (this.#state !== 'early') return
      // The daemon has already answered the CANCEL and sent 487 to the INVITE.
      this.#state = 'ended'
      this.#cancelListener?.()
    })
  }

  get state(): InboundCallState {
    return this.#state
  }

  get dialog(): CallDialog | null {
    return this.#dialog
  }

  headers(name: string): string[] {
    return headerValues(this.#req, name)
  }

  progress(status = 180, sdp?: string): void {
    if (this.#state !== 'early') return
    this.#res.send(status, sdp ? { body: sdp, headers: { ...SDP } } : {})
  }

  reject(status: number, reason?: string, headers?: ExtraHeader[]): void {
    if (this.#state !== 'early') return
    this.#state = 'ended'
    this.#res.send(status, reason, { headers: headerObject(headers) })
  }

  answer(localSdp: string): Promise<CallDialog> {
    if (this.#state !== 'early')
      return Promise.reject(new Error(`cannot answer a call in state ${this.#state}`))
    this.#state = 'answering'
    const wrapped = this.#port.track({
      id: `${this.callId};from-tag=${this.fromTag}`,
      callId: this.callId,
      remoteTag: this.fromTag,
    })
    this.#dialog = wrapped
    return new Promise<CallDialog>((resolve, reject) => {
      const fail = (error: Error) => {
        if (this.#state === 'answering') this.#state = 'ended'
        this.#ackWaiter = null
        reject(error)
      }
      this.#ackWaiter = { reject: fail }
      this.#port.srf.createUAS(this.#req, this.#res, { localSdp, headers: { ...SDP } }).then(
        (dialog) => {
          wrapped.bind(dialog)
          if (this.#state !== 'answering') return fail(new Error('call ended before ACK'))
          // srf resolves when the 200 leaves; the port's contract is "once the ACK arrives".
          dialog.once('ack', () => {
            if (this.#state !== 'answering') return
            this.#state = 'confirmed'
            this.#ackWaiter = null
            resolve(wrapped)
          })
          dialog.once('destroy', () => fail(new Error('call ended before ACK')))
        },
        (error: Error) => {
          wrapped.bind(null)
          fail(error)
        },
      )
    })
  }

  onCancel(listener: () => void): void {
    this.#cancelListener = listener
  }

  release(): void {
    if (this.#state === 'answering') {
      this.#state = 'ended'
      this.#ackWaiter?.reject(new Error('call ended before ACK'))
      this.#dialog?.forget()
    }
  }
}

class DrachtioOutboundCall implements OutboundCall {
  readonly outcome: Promise<OutboundOutcome>
  #sent: SrfRequest | null = null
  #cancelRequested = false
  #settled = false

  constructor(port: DrachtioSignalingPort, options: OutboundCallOptions) {
    const attempt = port.srf.createUAC(
      options.target,
      {
        localSdp: options.localSdp,
        proxy: proxyOf(options.peer),
        headers: { From: options.from, To: options.to, Allow: ALLOW, ...SDP },
      },
      {
        cbRequest: (error, req) => {
          if (error || !req) return
          this.#sent = req
          if (this.#cancelRequested) req.cancel()
        },
        cbProvisional: (res) => {
          if (res.status > 100)
            options.onProvisional?.(
              res.status,
              res.body ? res.body : null,
              tagOf(res.get('to')) || null,
            )
        },
      },
    )
    this.outcome = attempt.then(
      (dialog): OutboundOutcome => {
        const wrapped = port.track(
          { id: dialog.id, callId: dialog.sip.callId, remoteTag: dialog.sip.remoteTag },
          dialog,
        )
        if (this.#cancelRequested) {
          // Answered after we gave up on it (CANCEL/answer race, losing fork): hang up.
          void wrapped.bye()
          return { kind: 'failed', status: 487, reason: 'Request Terminated' }
        }
        this.#settled = true
        return { kind: 'answered', dialog: wrapped, sdp: dialog.remote.sdp ?? '' }
      },
      (error: { status?: number; reason?: string; message?: string }): OutboundOutcome => {
        this.#settled = true
        return error.status
          ? { kind: 'failed', status: error.status, reason: error.reason ?? '' }
          : { kind: 'failed', status: 503, reason: 'Service Unavailable' }
      },
    )
  }

  cancel(): void {
    if (this.#cancelRequested || this.#settled) return
    this.#cancelRequested = true
    this.#sent?.cancel()
  }
}

export class DrachtioSignalingPort implements SignalingPort {
  readonly srf: SrfInstance
  readonly #options: DrachtioPortOptions
  readonly #open = new Set<DrachtioDialog>()
  #registerHandler: ((register: InboundRegister) => Promise<RegisterReply>) | null = null
  #inviteHandler: ((call: InboundCall) => void) | null = null
  /** Same shape as the native registry's counter: open dialogs on this port. */
  readonly dialogs = {
    get: () => this.#open.size,
    get size() {
      return this.get()
    },
  }

  constructor(options: DrachtioPortOptions) {
    this.#options = options
    this.srf = new (Srf as unknown as new () => SrfInstance)()
    this.srf.on('error', (error: Error) =>
      options.logger.warn({ err: error }, 'drachtio connection error'),
    )
    this.srf.options((_req, res) =>
      res.send(200, { headers: { Allow: ALLOW, Accept: 'application/sdp' } }),
    )
    this.srf.register((req, res) => this.#onRegister(req, res))
    // srf stacks middleware; the port replaces its handler, so one route dispatches to it.
    this.srf.invite((req, res) => {
      if (!this.#inviteHandler) return res.send(480, 'Temporarily Unavailable (no call handler)')
      this.#inviteHandler(new DrachtioInboundCall(this, req, res))
    })
  }

  /** Connects to the daemon; resolves once it accepted our secret. */
  start(): Promise<{ hostport: string }> {
    const { host, port, secret } = this.#options
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no drachtio connection to ${host}:${port}`)),
        this.#options.connectTimeoutMs ?? 5000,
      )
      this.srf.once('connect', (error: Error | null, hostport: string) => {
        clearTimeout(timer)
        if (error) reject(error)
        else resolve({ hostport })
      })
      this.srf.connect({ host, port, secret })
    })
  }

  async close(): Promise<void> {
    try {
      this.srf.disconnect()
    } catch {
      // never connected
    }
  }

  /** A port dialog counted until it ends; bound to its srf dialog now or later. */
  track(
    ids: { id: string; callId: string; remoteTag: string },
    dialog?: SrfDialog,
  ): DrachtioDialog {
    const wrapped: DrachtioDialog = new DrachtioDialog(ids, () => this.#open.delete(wrapped))
    this.#open.add(wrapped)
    if (dialog) wrapped.bind(dialog)
    return wrapped
  }

  onInvite(handler: (call: InboundCall) => void): void {
    this.#inviteHandler = handler
  }

  onRegister(handler: (register: InboundRegister) => Promise<RegisterReply>): void {
    this.#registerHandler = handler
  }

  #onRegister(req: SrfRequest, res: SrfResponse): void {
    const handler = this.#registerHandler
    if (!handler) return res.send(501)
    const view: InboundRegister = {
      headers: (name) => headerValues(req, name),
      requestUri: req.uri,
      source: peerOf(req),
    }
    handler(view).then(
      (reply) => res.send(reply.status, reply.reason, { headers: headerObject(reply.headers) }),
      (error: unknown) => {
        this.#options.logger.error({ err: error }, 'register handler failed')
        res.send(503, 'Service Unavailable', { headers: { 'Retry-After': '30' } })
      },
    )
  }

  createUac(options: OutboundCallOptions): OutboundCall {
    return new DrachtioOutboundCall(this, options)
  }

  request(options: {
    method: string
    target: string
    peer: SignalingPeer
    from: string
    to: string
  }): Promise<number> {
    return new Promise((resolve) => {
      // The callback form: the echo of the sent request and its response can arrive in one
      // TCP read, so the listener must be attached before srf emits the response.
      this.srf.request(
        options.target,
        {
          method: options.method,
          proxy: proxyOf(options.peer),
          headers: { From: options.from, To: options.to },
        },
        (error, sent) => {
          if (error || !sent) return resolve(503)
          sent.on('response', (res: SrfMessage) => res.status >= 200 && resolve(res.status))
        },
      )
    })
  }
}
