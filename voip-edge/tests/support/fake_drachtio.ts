/**
 * A stand-in for the drachtio daemon (which cannot be installed here), speaking its TCP wire
 * protocol to drachtio-srf as read from drachtio-srf 5.0.29's lib/wire-protocol.js and
 * lib/drachtio-agent.js:
 *
 *   frame      := <byte length> '#' <message>
 *   message    := <msgId> '|' <type> '|' <tokens…> [CRLF <SIP message>]
 *   app → us   : authenticate|<secret>|<tags>    route|<verb>    remove_route|<verb>
 *                sip|<txnId>|<dialogId>[|<proxy>] CRLF <request or response, partial>
 *   us → app   : response|<msgId>|OK|… (or NO|<reason>) answering each app message;
 *                sip|<source>|<len>|<proto>|<address>|<port>|<time>|<txnId>|<dialogId>|<host>|<port> CRLF <msg>
 *
 * Its network side is real SIP (our own stack on UDP or TCP), so a drachtio-srf application
 * connected here can call, and be called by, any SIP peer — which is what lets the
 * SignalingPort contract suite run unchanged against the drachtio adapter. Like the daemon,
 * it completes what the app leaves out (Via, tags, Call-ID, CSeq, Contact, Max-Forwards),
 * keeps the transactions and dialogs, answers CANCEL itself (200, then 487 to the INVITE),
 * turns timeouts into 408s, and sends in-dialog ACKs/BYEs from dialog state. Every framed
 * message in both directions is recorded in `wire` for assertions.
 */
import { randomUUID } from 'node:crypto'
import { createServer, type Server, type Socket } from 'node:net'
import { pino } from 'pino'
import { SipStack } from '../../src/stack/sip_stack.ts'
import { UdpTransport } from '../../src/transport/udp_transport.ts'
import { TcpTransport } from '../../src/transport/tcp_transport.ts'
import { SystemClock } from '../../src/transaction/clock.ts'
import type { ServerTransaction } from '../../src/transaction/server_transaction.ts'
import type { ClientTransaction } from '../../src/transaction/client_transaction.ts'
import type { Destination } from '../../src/transaction/types.ts'
import { serverKey } from '../../src/transaction/transaction_layer.ts'
import type { SipHeader, SipRequest, SipResponse } from '../../src/sip/message.ts'
import { canonicalHeaderName, getHeader, parseCSeq, tagOf } from '../../src/sip/message.ts'
import { buildResponse, serialize, REASON_PHRASES } from '../../src/sip/serializer.ts'
import { newBranch } from '../../src/sip/via.ts'
import { parseNameAddr, parseUri, formatUri } from '../../src/sip/uri.ts'
import { newCallId, newTag } from '../../src/dialog/local_identity.ts'

export interface WireRecord {
  direction: 'to-app' | 'from-app'
  type: string
  text: string
}

interface FakeDialog {
  id: string
  callId: string
  localTag: string
  /** From/To values as this side writes them (with tags). */
  local: string
  remote: string
  remoteTarget: string
  peer: Destination
  localSeq: number
  /** CSeq of the last INVITE we sent in this dialog (its 2xx needs an ACK with it). */
  inviteSeq: number
}

interface InboundTxn {
  request: SipRequest
  transaction: ServerTransaction
  source: Destination
  toTag: string
  dialogId: string
  done: boolean
}

interface OutboundTxn {
  request: SipRequest
  client: ClientTransaction
  destination: Destination
  dialogId: string
}

const CRLF = '\r\n'

/** The app's messages are partial (no Via, maybe no tags); this reads them without judging. */
function parseLoose(text: string): {
  startLine: string
  headers: SipHeader[]
  body: string
} {
  const split = text.indexOf('\r\n\r\n')
  const head = split === -1 ? text : text.slice(0, split)
  const body = split === -1 ? '' : text.slice(split + 4)
  const [startLine, ...lines] = head.split(/\r\n(?![ \t])/)
  const headers: SipHeader[] = []
  for (const line of lines) {
    const colon = line.indexOf(':')
    if (colon <= 0) continue
    const name = canonicalHeaderName(line.slice(0, colon).trim())
    headers.push({ name, value: line.slice(colon + 1).trim() })
  }
  return { startLine, headers, body }
}

export class FakeDrachtioServer {
  readonly wire: WireRecord[] = []
  readonly routes = new Set<string>()
  readonly #secret: string
  readonly #protocol: 'udp' | 'tcp'
  readonly #stack: SipStack
  readonly #server: Server
  readonly #sockets = new Set<Socket>()
  #app: Socket | null = null
  #sipPort = 0
  readonly #dialogs = new Map<string, FakeDialog>()
  readonly #inbound = new Map<string, InboundTxn>()
  readonly #inboundByKey = new Map<string, string>()
  readonly #outbound = new Map<string, OutboundTxn>()

  constructor(options: { secret: string; protocol?: 'udp' | 'tcp' }) {
    this.#secret = options.secret
    this.#protocol = options.protocol ?? 'udp'
    const transport =
      this.#protocol === 'udp'
        ? new UdpTransport({ host: '127.0.0.1', port: 0 })
        : new TcpTransport({ host: '127.0.0.1', port: 0, maxMessageBytes: 65_535 })
    this.#stack = new SipStack({
      transports: [transport],
      clock: new SystemClock(),
      logger: pino({ level: 'silent' }),
      onRequest: (request, transaction, context) =>
        this.#onNetworkRequest(request, transaction, context.source),
      onAck: (ack, source) => this.#onNetworkAck(ack, source),
    })
    this.#server = createServer((socket) => this.#accept(socket))
  }

  /** Open dialogs the daemon holds (an app that hung up everything leaves none). */
  get dialogCount(): number {
    return this.#dialogs.size
  }

  get sipPort(): number {
    return this.#sipPort
  }

  /** Wire messages of one type (`authenticate`, `route`, `sip`, …) in order. */
  messages(direction: WireRecord['direction'], type: string): string[] {
    return this.wire
      .filter((record) => record.direction === direction && record.type === type)
      .map((record) => record.text)
  }

  async start(): Promise<{ controlPort: number; sipPort: number }> {
    const bound = await this.#stack.start()
    this.#sipPort = bound.get(this.#protocol)!.port
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    const address = this.#server.address()
    if (address === null || typeof address === 'string') throw new Error('no control port')
    return { controlPort: address.port, sipPort: this.#sipPort }
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
    await this.#stack.close()
  }

  // ---- control connection ------------------------------------------------------------

  #accept(socket: Socket): void {
    this.#sockets.add(socket)
    socket.on('close', () => {
      this.#sockets.delete(socket)
      if (this.#app === socket) this.#app = null
    })
    socket.on('error', () => undefined)
    let buffer = Buffer.alloc(0)
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk])
      for (;;) {
        const hash = buffer.indexOf('#')
        if (hash <= 0) return
        const length = Number(buffer.toString('utf8', 0, hash))
        if (!Number.isInteger(length) || length <= 0) {
          socket.destroy()
          return
        }
        if (buffer.length < hash + 1 + length) return
        const message = buffer.toString('utf8', hash + 1, hash + 1 + length)
        buffer = buffer.subarray(hash + 1 + length)
        this.#onAppMessage(socket, message)
      }
    })
  }

  #send(socket: Socket | null, message: string): void {
    if (!socket || socket.destroyed) return
    const bar = message.indexOf('|')
    const type = message.slice(bar + 1, message.indexOf('|', bar + 1))
    this.wire.push({ direction: 'to-app', type, text: message })
    socket.write(`${Buffer.byteLength(message, 'utf8')}#${message}`)
  }

  #reply(socket: Socket, msgId: string, tokens: string[], sip?: string): void {
    const head = [randomUUID(), 'response', msgId, ...tokens].join('|')
    this.#send(socket, sip === undefined ? head : `${head}${CRLF}${sip}`)
  }

  #onAppMessage(socket: Socket, message: string): void {
    const crlf = message.indexOf(CRLF)
    const leader = crlf === -1 ? message : message.slice(0, crlf)
    const sip = crlf === -1 ? '' : message.slice(crlf + 2)
    const tokens = leader.split('|')
    const [msgId, type] = tokens
    this.wire.push({ direction: 'from-app', type, text: message })
    switch (type) {
      case 'authenticate':
        if (tokens[2] !== this.#secret) {
          this.#reply(socket, msgId, ['NO', 'incorrect secret'])
          socket.end()
          return
        }
        this.#app = socket
        return this.#reply(socket, msgId, ['OK', `udp/127.0.0.1:${this.#sipPort}`, 'v0.8.26'])
      case 'route':
        this.routes.add(tokens[2].toUpperCase())
        return this.#reply(socket, msgId, ['OK'])
      case 'remove_route':
        this.routes.delete(tokens[2].toUpperCase())
        return this.#reply(socket, msgId, ['OK'])
      case 'ping':
        return this.#reply(socket, msgId, ['OK'])
      case 'sip':
        return this.#onAppSip(socket, msgId, tokens[2] ?? '', tokens[3] ?? '', tokens[4], sip)
      default:
        this.#reply(socket, msgId, ['NO', 'Unknown message type'])
    }
  }

  /** `response|…|OK|application|<len>|<proto>|<address>|<port>|<time>|<txnId>|<dialogId>` */
  #echo(
    socket: Socket,
    msgId: string,
    message: SipRequest | SipResponse,
    to: Destination,
    txnId: string,
    dialogId: string,
  ): void {
    const text = serialize(message).toString('utf8')
    this.#reply(
      socket,
      msgId,
      [
        'OK',
        'application',
        String(Buffer.byteLength(text)),
        to.protocol,
        to.address,
        String(to.port),
        String(Date.now()),
        txnId,
        dialogId,
      ],
      text,
    )
  }

  /** `sip|network|<len>|<proto>|<address>|<port>|<time>|<txnId>|<dialogId>|<host>|<port>` */
  #deliver(message: SipRequest | SipResponse, from: Destination, txnId: string, dialogId: string) {
    const text = serialize(message).toString('utf8')
    const leader = [
      randomUUID(),
      'sip',
      'network',
      String(Buffer.byteLength(text)),
      from.protocol,
      from.address.replace(/^::ffff:/, ''),
      String(from.port),
      String(Date.now()),
      txnId,
      dialogId,
      '127.0.0.1',
      String(this.#sipPort),
    ].join('|')
    this.#send(this.#app, `${leader}${CRLF}${text}`)
  }

  // ---- network → app -------------------------------------------------------------------

  #onNetworkRequest(request: SipRequest, transaction: ServerTransaction, source: Destination) {
    const respond = (status: number) =>
      transaction.respond(buildResponse(request, status, { toTag: newTag() }))
    const callId = getHeader(request, 'call-id') ?? ''
    const toTag = tagOf(getHeader(request, 'to') ?? '')
    if (request.method === 'CANCEL') {
      const txnId = this.#inboundByKey.get(serverKey({ ...request, method: 'INVITE' }))
      const invite = txnId ? this.#inbound.get(txnId) : undefined
      if (!invite) return respond(481)
      transaction.respond(buildResponse(request, 200, { toTag: invite.toTag }))
      if (!invite.done) {
        invite.done = true
        invite.transaction.respond(buildResponse(invite.request, 487, { toTag: invite.toTag }))
        this.#deliver(request, source, randomUUID(), '')
      }
      return
    }
    let dialogId = ''
    if (toTag !== undefined) {
      const dialog = [...this.#dialogs.values()].find(
        (candidate) => candidate.callId === callId && candidate.localTag === toTag,
      )
      if (!dialog) return respond(481)
      dialogId = dialog.id
      dialog.peer = source
    } else if (!this.#app || !this.routes.has(request.method)) {
      // No application claimed this method: the daemon answers on its own.
      return respond(request.method === 'OPTIONS' ? 200 : 503)
    }
    const txnId = randomUUID()
    this.#inbound.set(txnId, {
      request,
      transaction,
      source,
      toTag: toTag ?? newTag(),
      dialogId,
      done: false,
    })
    if (request.method === 'INVITE') this.#inboundByKey.set(serverKey(request), txnId)
    this.#deliver(request, source, txnId, dialogId)
  }

  #onNetworkAck(ack: SipRequest, source: Destination): void {
    const callId = getHeader(ack, 'call-id') ?? ''
    const toTag = tagOf(getHeader(ack, 'to') ?? '')
    const dialog = [...this.#dialogs.values()].find(
      (candidate) => candidate.callId === callId && candidate.localTag === toTag,
    )
    if (dialog) this.#deliver(ack, source, randomUUID(), dialog.id)
  }

  // ---- app → network -------------------------------------------------------------------

  #onAppSip(
    socket: Socket,
    msgId: string,
    txnId: string,
    dialogId: string,
    proxy: string | undefined,
    text: string,
  ): void {
    const loose = parseLoose(text)
    if (loose.startLine.startsWith('SIP/')) return this.#appResponse(socket, msgId, txnId, loose)
    const method = loose.startLine.split(' ')[0]
    if (method === 'CANCEL' && txnId) return this.#appCancel(socket, msgId, txnId)
    if (dialogId) return this.#appInDialog(socket, msgId, dialogId, method, loose)
    if (method === 'ACK') return this.#reply(socket, msgId, ['OK'])
    return this.#appNewRequest(socket, msgId, loose, proxy)
  }

  #appResponse(
    socket: Socket,
    msgId: string,
    txnId: string,
    loose: ReturnType<typeof parseLoose>,
  ): void {
    const txn = this.#inbound.get(txnId)
    if (!txn || txn.done) return this.#reply(socket, msgId, ['NO', 'transaction not found'])
    const [, code, ...reasonWords] = loose.startLine.split(' ')
    const status = Number(code)
    const copied = new Set(['via', 'from', 'to', 'call-id', 'cseq', 'content-length'])
    const headers = loose.headers.filter((header) => !copied.has(header.name))
    const { request } = txn
    if (
      request.method === 'INVITE' &&
      status > 100 &&
      status < 300 &&
      !headers.some((header) => header.name === 'contact')
    ) {
      headers.push({ name: 'contact', value: `<sip:127.0.0.1:${this.#sipPort}>` })
    }
    const response = buildResponse(request, status, {
      reason: reasonWords.join(' ') || REASON_PHRASES[status] || 'Unknown',
      toTag: txn.toTag,
      headers,
      body: loose.body ? Buffer.from(loose.body, 'utf8') : undefined,
    })
    let dialogId = txn.dialogId
    if (status >= 200) {
      txn.done = true
      this.#inboundByKey.delete(serverKey(request))
      if (request.method === 'INVITE' && status < 300 && !dialogId) {
        const from = getHeader(request, 'from')!
        const contact = getHeader(request, 'contact')
        dialogId = `${getHeader(request, 'call-id')};from-tag=${tagOf(from)}`
        this.#dialogs.set(dialogId, {
          id: dialogId,
          callId: getHeader(request, 'call-id')!,
          localTag: txn.toTag,
          local: getHeader(response, 'to')!,
          remote: from,
          remoteTarget: contact ? formatUri(parseNameAddr(contact).uri) : request.uri,
          peer: txn.source,
          localSeq: 0,
          inviteSeq: 0,
        })
      }
      if (request.method === 'BYE' && status < 300 && dialogId) this.#dialogs.delete(dialogId)
      this.#inbound.delete(txnId)
    }
    txn.transaction.respond(response)
    this.#echo(socket, msgId, response, txn.source, txnId, dialogId)
  }

  #appCancel(socket: Socket, msgId: string, txnId: string): void {
    const txn = this.#outbound.get(txnId)
    if (!txn) return this.#reply(socket, msgId, ['NO', 'transaction not found'])
    const copy = (name: string) => txn.request.headers.find((header) => header.name === name)!
    const cseq = parseCSeq(copy('cseq').value)!
    const cancel: SipRequest = {
      kind: 'request',
      method: 'CANCEL',
      uri: txn.request.uri,
      headers: [
        copy('via'),
        copy('max-forwards'),
        copy('from'),
        copy('to'),
        copy('call-id'),
        { name: 'cseq', value: `${cseq.seq} CANCEL` },
      ],
      body: Buffer.alloc(0),
    }
    this.#stack.sendRequest(cancel, txn.destination, {
      onResponse() {},
      onTimeout() {},
      onTransportError() {},
    })
    this.#echo(socket, msgId, cancel, txn.destination, randomUUID(), '')
  }

  #destinationOf(uri: string, proxy: string | undefined): Destination {
    const parsed = parseUri(proxy ? (proxy.startsWith('sip') ? proxy : `sip:${proxy}`) : uri)
    const transport = parsed.params.get('transport')
    return {
      protocol: transport === 'tcp' ? 'tcp' : this.#protocol,
      address: parsed.host,
      port: parsed.port ?? 5060,
    }
  }

  #appNewRequest(
    socket: Socket,
    msgId: string,
    loose: ReturnType<typeof parseLoose>,
    proxy: string | undefined,
  ): void {
    const [method, uri] = loose.startLine.split(' ')
    const given = (name: string) => loose.headers.find((header) => header.name === name)?.value
    const from = given('from') ?? `<sip:drachtio@127.0.0.1:${this.#sipPort}>`
    const destination = this.#destinationOf(uri, proxy)
    const own = new Set(['via', 'max-forwards', 'from', 'to', 'call-id', 'cseq', 'content-length'])
    const request: SipRequest = {
      kind: 'request',
      method,
      uri,
      headers: [
        { name: 'via', value: this.#via(destination) },
        { name: 'max-forwards', value: '70' },
        { name: 'from', value: tagOf(from) ? from : `${from};tag=${newTag()}` },
        { name: 'to', value: given('to') ?? `<${uri}>` },
        { name: 'call-id', value: given('call-id') ?? newCallId('127.0.0.1') },
        { name: 'cseq', value: `1 ${method}` },
        ...(method === 'INVITE' && !given('contact')
          ? [{ name: 'contact', value: `<sip:127.0.0.1:${this.#sipPort}>` }]
          : []),
        ...loose.headers.filter((header) => !own.has(header.name)),
      ],
      body: Buffer.from(loose.body, 'utf8'),
    }
    this.#sendAndTrack(socket, msgId, request, destination, null)
  }

  #via(destination: Destination): string {
    return `SIP/2.0/${destination.protocol.toUpperCase()} 127.0.0.1:${this.#sipPort};branch=${newBranch()};rport`
  }

  #appInDialog(
    socket: Socket,
    msgId: string,
    dialogId: string,
    method: string,
    loose: ReturnType<typeof parseLoose>,
  ): void {
    const dialog = this.#dialogs.get(dialogId)
    if (!dialog) return this.#reply(socket, msgId, ['NO', 'unable to find dialog'])
    const seq = method === 'ACK' ? dialog.inviteSeq : ++dialog.localSeq
    if (method === 'INVITE') dialog.inviteSeq = seq
    const own = new Set(['via', 'max-forwards', 'from', 'to', 'call-id', 'cseq', 'content-length'])
    const request: SipRequest = {
      kind: 'request',
      method,
      uri: dialog.remoteTarget,
      headers: [
        { name: 'via', value: this.#via(dialog.peer) },
        { name: 'max-forwards', value: '70' },
        { name: 'from', value: dialog.local },
        { name: 'to', value: dialog.remote },
        { name: 'call-id', value: dialog.callId },
        { name: 'cseq', value: `${seq} ${method}` },
        ...loose.headers.filter((header) => !own.has(header.name)),
      ],
      body: Buffer.from(loose.body, 'utf8'),
    }
    if (method === 'ACK') {
      void this.#stack.send(request, dialog.peer).catch(() => undefined)
      return this.#echo(socket, msgId, request, dialog.peer, randomUUID(), dialogId)
    }
    if (method === 'BYE') this.#dialogs.delete(dialogId)
    this.#sendAndTrack(socket, msgId, request, dialog.peer, dialog)
  }

  #sendAndTrack(
    socket: Socket,
    msgId: string,
    request: SipRequest,
    destination: Destination,
    dialog: FakeDialog | null,
  ): void {
    const txnId = randomUUID()
    const answer = (response: SipResponse, from: Destination) => {
      let dialogId = dialog?.id ?? ''
      if (response.status >= 200) this.#outbound.delete(txnId)
      if (
        !dialog &&
        request.method === 'INVITE' &&
        response.status >= 200 &&
        response.status < 300
      ) {
        const fromValue = getHeader(request, 'from')!
        dialogId = `${getHeader(request, 'call-id')};from-tag=${tagOf(fromValue)}`
        const contact = getHeader(response, 'contact')
        if (!this.#dialogs.has(dialogId))
          this.#dialogs.set(dialogId, {
            id: dialogId,
            callId: getHeader(request, 'call-id')!,
            localTag: tagOf(fromValue)!,
            local: fromValue,
            remote: getHeader(response, 'to')!,
            remoteTarget: contact ? formatUri(parseNameAddr(contact).uri) : request.uri,
            peer: destination,
            localSeq: 1,
            inviteSeq: 1,
          })
      }
      this.#deliver(response, from, txnId, dialogId)
    }
    const synthesize = (status: number) => answer(buildResponse(request, status), destination)
    const client = this.#stack.sendRequest(request, destination, {
      onResponse: (response, source) => answer(response, source ?? destination),
      onTimeout: () => synthesize(408),
      onTransportError: () => synthesize(503),
    })
    this.#outbound.set(txnId, { request, client, destination, dialogId: dialog?.id ?? '' })
    this.#echo(socket, msgId, request, destination, txnId, dialog?.id ?? '')
  }
}
