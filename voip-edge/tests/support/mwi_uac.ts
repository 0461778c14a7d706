import { createSocket, type Socket } from 'node:dgram'
import { randomBytes } from 'node:crypto'
import { parseMessage } from '../../src/sip/parser.ts'
import {
  getHeader,
  getHeaders,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from '../../src/sip/message.ts'
import {
  computeResponse,
  parseAuthParams,
  type DigestAlgorithm,
} from '../../src/registrar/digest.ts'

/**
 * A phone's MWI side over UDP: SUBSCRIBEs to `message-summary` with digest credentials and
 * answers (200) every NOTIFY it receives, keeping them for the test to inspect.
 */
export class MwiUac {
  readonly #socket: Socket
  readonly #edgePort: number
  #port = 0
  #cseq = 1
  readonly callId = `${randomBytes(6).toString('hex')}@mwi-test`
  readonly fromTag = randomBytes(4).toString('hex')
  toTag: string | null = null
  nc = 0
  readonly notifies: SipRequest[] = []
  #responseWaiter: ((response: SipResponse) => void) | null = null
  #notifyWaiters: Array<() => void> = []
  /** Status the phone answers NOTIFYs with (481 simulates a phone that forgot the dialog). */
  notifyAnswer = 200

  private constructor(edgePort: number) {
    this.#edgePort = edgePort
    this.#socket = createSocket('udp4')
    this.#socket.on('message', (data, rinfo) => {
      const message = parseMessage(data) as SipMessage
      if (message.kind === 'response') {
        if (message.status >= 200) this.#responseWaiter?.(message)
        return
      }
      if (message.method === 'NOTIFY') {
        const via = getHeaders(message, 'via')
        const reply = [
          `SIP/2.0 ${this.notifyAnswer} ${this.notifyAnswer === 200 ? 'OK' : 'Gone'}`,
          ...via.map((value) => `Via: ${value}`),
          `From: ${getHeader(message, 'from')}`,
          `To: ${getHeader(message, 'to')}`,
          `Call-ID: ${getHeader(message, 'call-id')}`,
          `CSeq: ${getHeader(message, 'cseq')}`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n')
        this.#socket.send(reply, rinfo.port, rinfo.address)
        // Retransmissions of one NOTIFY are kept once.
        if (!this.notifies.some((n) => sameRequest(n, message))) this.notifies.push(message)
        for (const wake of this.#notifyWaiters.splice(0)) wake()
      }
    })
  }

  static async open(edgePort: number): Promise<MwiUac> {
    const uac = new MwiUac(edgePort)
    await new Promise<void>((resolve) => uac.#socket.bind(0, '127.0.0.1', () => resolve()))
    uac.#port = uac.#socket.address().port
    return uac
  }

  get port(): number {
    return this.#port
  }

  subscribe(options: {
    user: string
    realm: string
    event?: string
    expires?: number
    authorization?: string
    toTag?: string | null
    method?: 'SUBSCRIBE' | 'REGISTER'
  }): Promise<SipResponse> {
    const method = options.method ?? 'SUBSCRIBE'
    const toTag =
      method === 'REGISTER' ? null : options.toTag === undefined ? this.toTag : options.toTag
    const lines = [
      `${method} sip:${options.user}@${options.realm} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${this.#port};branch=z9hG4bK${randomBytes(8).toString('hex')};rport`,
      'Max-Forwards: 70',
      `From: <sip:${options.user}@${options.realm}>;tag=${this.fromTag}`,
      `To: <sip:${options.user}@${options.realm}>${toTag ? `;tag=${toTag}` : ''}`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${this.#cseq++} ${method}`,
      `Contact: <sip:${options.user}@127.0.0.1:${this.#port}>`,
      `Event: ${options.event ?? 'message-summary'}`,
      'Accept: application/simple-message-summary',
      `Expires: ${options.expires ?? 600}`,
      ...(options.authorization ? [`Authorization: ${options.authorization}`] : []),
      'Content-Length: 0',
      '',
      '',
    ]
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#responseWaiter = null
        reject(new Error(`no final response to ${method} within 10 s`))
      }, 10_000)
      this.#responseWaiter = (response) => {
        clearTimeout(timer)
        this.#responseWaiter = null
        resolve(response)
      }
      this.#socket.send(lines.join('\r\n'), this.#edgePort, '127.0.0.1')
    })
  }

  /** SUBSCRIBE → 401 → SUBSCRIBE with credentials (as `authUser`, default the AOR's user). */
  async authenticatedSubscribe(options: {
    user: string
    realm: string
    password: string
    authUser?: string
    expires?: number
    event?: string
    method?: 'SUBSCRIBE' | 'REGISTER'
  }): Promise<{ challenge: SipResponse; final: SipResponse }> {
    const challenge = await this.subscribe(options)
    const offer = getHeader(challenge, 'www-authenticate')
    if (challenge.status !== 401 || !offer) return { challenge, final: challenge }
    const params = parseAuthParams(offer.replace(/^Digest\s+/i, ''))
    const algorithm = (params.get('algorithm') ?? 'MD5') as DigestAlgorithm
    const username = options.authUser ?? options.user
    const uri = `sip:${options.user}@${options.realm}`
    const nc = (++this.nc).toString(16).padStart(8, '0')
    const cnonce = randomBytes(8).toString('hex')
    const nonce = params.get('nonce')!
    const response = computeResponse({
      algorithm,
      username,
      realm: params.get('realm')!,
      password: options.password,
      method: options.method ?? 'SUBSCRIBE',
      uri,
      nonce,
      qop: 'auth',
      nc,
      cnonce,
    })
    const authorization = `Digest username="${username}", realm="${params.get('realm')}", nonce="${nonce}", uri="${uri}", algorithm=${algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}"`
    const final = await this.subscribe({ ...options, authorization })
    if (final.status === 200 && options.method !== 'REGISTER')
      this.toTag = /;\s*tag=([^;>\s]+)/.exec(getHeader(final, 'to') ?? '')?.[1] ?? null
    return { challenge, final }
  }

  /** The next NOTIFY after the `count` already received. */
  async waitForNotify(count: number, timeoutMs = 15_000): Promise<SipRequest> {
    const deadline = Date.now() + timeoutMs
    while (this.notifies.length <= count) {
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`no NOTIFY #${count + 1} within ${timeoutMs} ms`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.#notifyWaiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return this.notifies[count]
  }

  close(): void {
    this.#socket.close()
  }
}

function sameRequest(a: SipRequest, b: SipRequest): boolean {
  return (
    getHeader(a, 'call-id') === getHeader(b, 'call-id') &&
    getHeader(a, 'cseq') === getHeader(b, 'cseq')
  )
}

export function body(request: SipRequest): string {
  return request.body.toString('latin1')
}
