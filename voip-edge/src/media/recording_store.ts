/**
 * Where a finished `<Record>` goes: uploaded to the app (signed like every edge request),
 * which stores it per tenant and answers with its own signed `/files/` URL — the URL the
 * app's voicemail handler accepts as `RecordingUrl` (it only keeps its own files and never
 * fetches remote audio while a call waits). The body is binary, so the signature covers
 * its SHA-256 (hex, also sent as X-Edge-Content-Sha256) in place of the raw body; the app
 * recomputes the digest from the bytes it received.
 */
import { createHash, randomUUID } from 'node:crypto'
import { signedHeaders } from '../events/signer.ts'
import { httpFetch, type FetchLimits } from '../cxml/http_fetch.ts'

export interface RecordingMeta {
  organizationId: string
  callId: string
  domain: string
  durationSec: number
  /** `call`: a bridged call's recording the app links to the call log (Dial record). */
  purpose?: 'call'
}

export interface RecordingStore {
  /** Stores the WAV; resolves with the URL the Record `action` receives as RecordingUrl. */
  publish(wav: Buffer, meta: RecordingMeta): Promise<string>
}

export class AppRecordingUploader implements RecordingStore {
  readonly #url: URL
  readonly #secret: string
  readonly #limits: FetchLimits

  constructor(options: { appBaseUrl: string; signingSecret: string; limits: FetchLimits }) {
    this.#url = new URL('/api/edge/recordings', options.appBaseUrl)
    this.#secret = options.signingSecret
    this.#limits = { ...options.limits, maxBytes: 64 * 1024 }
  }

  async publish(wav: Buffer, meta: RecordingMeta): Promise<string> {
    const url = new URL(this.#url)
    url.searchParams.set('organizationId', meta.organizationId)
    url.searchParams.set('callId', meta.callId)
    url.searchParams.set('domain', meta.domain)
    url.searchParams.set('duration', String(meta.durationSec))
    if (meta.purpose) url.searchParams.set('purpose', meta.purpose)
    const requestId = randomUUID()
    const digest = createHash('sha256').update(wav).digest('hex')
    const response = await httpFetch(url, {
      method: 'POST',
      body: wav,
      limits: this.#limits,
      headers: {
        'content-type': 'audio/wav',
        accept: 'application/json',
        'x-edge-content-sha256': digest,
        ...signedHeaders(this.#secret, requestId, 'POST', url, digest),
      },
    })
    if (response.status !== 201 && response.status !== 200)
      throw new Error(`recording upload answered HTTP ${response.status}`)
    const body = JSON.parse(response.body.toString('utf8')) as { url?: unknown }
    if (typeof body.url !== 'string') throw new Error('recording upload answer has no url')
    return body.url
  }
}
