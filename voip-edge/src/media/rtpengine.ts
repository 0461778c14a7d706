/**
 * Typed ng-protocol client over `rtpengine-client`. Every command has a timeout (the
 * library only times out when asked to) and `result: error` becomes a rejection (the library
 * resolves it by default), so no caller can forget either.
 */
import rtpengine from 'rtpengine-client'
import { MediaCommandError, MediaError, MediaProtocolError, MediaTimeoutError } from './errors.ts'

export interface RtpEngineOptions {
  host: string
  port: number
  timeoutMs: number
  localAddress?: string
}

export interface OfferParams {
  callId: string
  fromTag: string
  sdp: string
  /** Extra ng flags, e.g. { 'transport-protocol': 'RTP/AVP' }. */
  extra?: Record<string, unknown>
}

export interface AnswerParams extends OfferParams {
  toTag: string
}

export interface DeleteResult {
  /** RTP packets relayed over the whole call, when rtpengine reports them. */
  rtpPackets: number | null
}

export interface QueryResult {
  created: number | null
  tags: string[]
  raw: Record<string, unknown>
}

/** Offer/answer defaults that anchor plain RTP on the edge's media interface. */
const ANCHOR_FLAGS = {
  replace: ['origin', 'session-connection'],
  ICE: 'remove',
  'transport-protocol': 'RTP/AVP',
}

export class RtpEngine {
  readonly #options: RtpEngineOptions
  readonly #client: InstanceType<typeof rtpengine.Client>
  readonly #ready: Promise<void>

  constructor(options: RtpEngineOptions) {
    this.#options = options
    this.#client = new rtpengine.Client({
      localPort: 0,
      localAddress: options.localAddress ?? '127.0.0.1',
      timeout: options.timeoutMs,
    })
    this.#ready = new Promise((resolve, reject) => {
      this.#client.once('listening', () => resolve())
      this.#client.once('error', reject)
    })
    // Late replies and socket errors surface as 'error' events; they must not crash us.
    this.#client.on('error', () => undefined)
  }

  async #command(
    name:
      | 'offer'
      | 'answer'
      | 'delete'
      | 'query'
      | 'list'
      | 'ping'
      | 'playMedia'
      | 'stopMedia'
      | 'startRecording'
      | 'stopRecording',
    params: Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    await this.#ready
    const dest = { host: this.#options.host, port: this.#options.port }
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () => reject(new MediaTimeoutError(name, this.#options.timeoutMs)),
        this.#options.timeoutMs + 50,
      )
    })
    try {
      const reply = await Promise.race([this.#client[name](dest, params), timeout])
      if (reply.result === 'error')
        throw new MediaCommandError(name, String(reply['error-reason'] ?? 'unknown error'))
      return reply
    } catch (error) {
      if (error instanceof MediaError) throw error
      if (error instanceof Error && /timeout/i.test(error.message))
        throw new MediaTimeoutError(name, this.#options.timeoutMs)
      throw new MediaError(`rtpengine ${name} failed`, { cause: error })
    } finally {
      clearTimeout(timer)
    }
  }

  async ping(): Promise<void> {
    const reply = await this.#command('ping', {})
    if (reply.result !== 'pong')
      throw new MediaProtocolError(`unexpected ping reply ${String(reply.result)}`)
  }

  async offer(params: OfferParams): Promise<{ sdp: string }> {
    const reply = await this.#command('offer', {
      ...ANCHOR_FLAGS,
      ...params.extra,
      'call-id': params.callId,
      'from-tag': params.fromTag,
      sdp: params.sdp,
    })
    return { sdp: requireSdp(reply, 'offer') }
  }

  async answer(params: AnswerParams): Promise<{ sdp: string }> {
    const reply = await this.#command('answer', {
      ...ANCHOR_FLAGS,
      ...params.extra,
      'call-id': params.callId,
      'from-tag': params.fromTag,
      'to-tag': params.toTag,
      sdp: params.sdp,
    })
    return { sdp: requireSdp(reply, 'answer') }
  }

  async delete(params: { callId: string; fromTag?: string }): Promise<DeleteResult> {
    const reply = await this.#command('delete', {
      'call-id': params.callId,
      ...(params.fromTag ? { 'from-tag': params.fromTag } : {}),
    })
    const totals = reply.totals as { RTP?: { packets?: number } } | undefined
    return { rtpPackets: typeof totals?.RTP?.packets === 'number' ? totals.RTP.packets : null }
  }

  async query(callId: string): Promise<QueryResult> {
    const reply = await this.#command('query', { 'call-id': callId })
    const tags = reply.tags && typeof reply.tags === 'object' ? Object.keys(reply.tags) : []
    return { created: typeof reply.created === 'number' ? reply.created : null, tags, raw: reply }
  }

  /**
   * Plays a media file (a path on rtpengine's host) to the party named by `fromTag`;
   * resolves with the duration rtpengine reports (ms), or null when it reports none.
   */
  async playMedia(params: {
    callId: string
    fromTag: string
    file: string
  }): Promise<number | null> {
    const reply = await this.#command('playMedia', {
      'call-id': params.callId,
      'from-tag': params.fromTag,
      file: params.file,
    })
    return typeof reply.duration === 'number' ? reply.duration : null
  }

  async stopMedia(params: { callId: string; fromTag: string }): Promise<void> {
    await this.#command('stopMedia', { 'call-id': params.callId, 'from-tag': params.fromTag })
  }

  /** pcap recording of the call into rtpengine's `--recording-dir` (userspace method). */
  async startRecording(params: { callId: string; fromTag: string }): Promise<void> {
    await this.#command('startRecording', {
      'call-id': params.callId,
      'from-tag': params.fromTag,
    })
  }

  async stopRecording(params: { callId: string; fromTag: string }): Promise<void> {
    await this.#command('stopRecording', { 'call-id': params.callId, 'from-tag': params.fromTag })
  }

  /** Call-ids rtpengine currently holds (bounded by `limit`). */
  async list(limit = 1000): Promise<string[]> {
    const reply = await this.#command('list', { limit })
    const calls = reply.calls
    if (!Array.isArray(calls)) throw new MediaProtocolError('list reply has no calls array')
    return calls.map((call) => String(call))
  }

  close(): void {
    this.#client.close()
  }
}

function requireSdp(reply: Record<string, unknown>, command: string): string {
  if (typeof reply.sdp !== 'string' || !reply.sdp.startsWith('v=0'))
    throw new MediaProtocolError(`${command} reply has no SDP`)
  return reply.sdp
}
