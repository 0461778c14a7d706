import { createSocket, type Socket } from 'node:dgram'
import { randomBytes } from 'node:crypto'
import { parseMessage } from '../../src/sip/parser.ts'
import { getHeader, getHeaders, type SipResponse } from '../../src/sip/message.ts'
import {
  computeResponse,
  parseAuthParams,
  type DigestAlgorithm,
} from '../../src/registrar/digest.ts'

/**
 * A minimal digest-capable UDP UAC used to drive the registrar precisely (replays, nonce
 * counts, algorithms) where sipp's scenario language cannot.
 */
export class TestUac {
  readonly #socket: Socket
  readonly #edgePort: number
  readonly localAddress: string
  #localPort = 0
  #cseq = 1
  readonly callId = `${randomBytes(6).toString('hex')}@test`
  #waiting: ((response: SipResponse) => void) | null = null

  private constructor(edgePort: number, localAddress: string) {
    this.#edgePort = edgePort
    this.localAddress = localAddress
    this.#socket = createSocket('udp4')
    this.#socket.on('message', (data) => {
      const message = parseMessage(data)
      if (message.kind === 'response' && message.status >= 200) this.#waiting?.(message)
    })
  }

  static async open(edgePort: number, localAddress = '127.0.0.1'): Promise<TestUac> {
    const uac = new TestUac(edgePort, localAddress)
    await new Promise<void>((resolve) => uac.#socket.bind(0, localAddress, () => resolve()))
    uac.#localPort = uac.#socket.address().port
    return uac
  }

  request(options: {
    user: string
    realm: string
    authorization?: string
    expires?: number
    method?: string
    contactPort?: number
  }): Promise<SipResponse> {
    const method = options.method ?? 'REGISTER'
    const lines = [
      `${method} sip:${options.realm} SIP/2.0`,
      `Via: SIP/2.0/UDP ${this.localAddress}:${this.#localPort};branch=z9hG4bK${randomBytes(8).toString('hex')};rport`,
      'Max-Forwards: 70',
      `From: <sip:${options.user}@${options.realm}>;tag=${randomBytes(4).toString('hex')}`,
      `To: <sip:${options.user}@${options.realm}>`,
      `Call-ID: ${this.callId}`,
      `CSeq: ${this.#cseq++} ${method}`,
      `Contact: <sip:${options.user}@${this.localAddress}:${options.contactPort ?? this.#localPort}>`,
      `Expires: ${options.expires ?? 300}`,
      ...(options.authorization ? [`Authorization: ${options.authorization}`] : []),
      'Content-Length: 0',
      '',
      '',
    ]
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting = null
        reject(new Error(`no final response to ${method} within 2 s`))
      }, 2000)
      this.#waiting = (response) => {
        clearTimeout(timer)
        this.#waiting = null
        resolve(response)
      }
      this.#socket.send(lines.join('\r\n'), this.#edgePort, '127.0.0.1')
    })
  }

  /** Builds an Authorization value answering `challenge` (a WWW-Authenticate value). */
  authorize(
    challenge: string,
    options: { user: string; password: string; realm: string; nc?: number; cnonce?: string },
  ): string {
    const params = parseAuthParams(challenge.replace(/^Digest\s+/i, ''))
    const algorithm = (params.get('algorithm') ?? 'MD5') as DigestAlgorithm
    const nc = (options.nc ?? 1).toString(16).padStart(8, '0')
    const cnonce = options.cnonce ?? randomBytes(8).toString('hex')
    const uri = `sip:${options.realm}`
    const nonce = params.get('nonce')!
    const response = computeResponse({
      algorithm,
      username: options.user,
      realm: params.get('realm')!,
      password: options.password,
      method: 'REGISTER',
      uri,
      nonce,
      qop: 'auth',
      nc,
      cnonce,
    })
    return `Digest username="${options.user}", realm="${params.get('realm')}", nonce="${nonce}", uri="${uri}", algorithm=${algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}"`
  }

  /** Full REGISTER → 401 → REGISTER with credentials; returns both responses. */
  async register(options: {
    user: string
    realm: string
    password: string
    algorithm?: DigestAlgorithm
    expires?: number
    contactPort?: number
  }): Promise<{ challenge: SipResponse; final: SipResponse; authorization: string }> {
    const challenge = await this.request(options)
    const offers = getHeaders(challenge, 'www-authenticate')
    const offer =
      offers.find(
        (value) => !options.algorithm || value.includes(`algorithm=${options.algorithm}`),
      ) ?? offers[0]
    if (!offer) return { challenge, final: challenge, authorization: '' }
    const authorization = this.authorize(offer, options)
    const final = await this.request({ ...options, authorization })
    return { challenge, final, authorization }
  }

  close(): void {
    this.#socket.close()
  }
}

export function header(response: SipResponse, name: string): string {
  return getHeader(response, name) ?? ''
}
