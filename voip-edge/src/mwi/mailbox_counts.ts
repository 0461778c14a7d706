/**
 * Counts of a mailbox from the app when a phone subscribes and the edge has none cached:
 * `GET /api/edge/organizations/<id>/mailboxes/<sip username>` → {newMessages, oldMessages},
 * signed like every edge → app request.
 */
import { randomUUID } from 'node:crypto'
import { signedHeaders } from '../events/signer.ts'
import { readCounts, type MailboxCounts } from './message_summary.ts'

export interface MailboxCountsSource {
  /** Null when the app knows no such mailbox (no messages to announce). */
  counts(organizationId: string, username: string): Promise<MailboxCounts | null>
}

export class HttpMailboxCounts implements MailboxCountsSource {
  readonly #baseUrl: string
  readonly #secret: string
  readonly #timeoutMs: number

  constructor(options: { baseUrl: string; signingSecret: string; timeoutMs?: number }) {
    this.#baseUrl = options.baseUrl
    this.#secret = options.signingSecret
    this.#timeoutMs = options.timeoutMs ?? 3000
  }

  async counts(organizationId: string, username: string): Promise<MailboxCounts | null> {
    const url = new URL(
      `/api/edge/organizations/${encodeURIComponent(organizationId)}/mailboxes/${encodeURIComponent(username)}`,
      this.#baseUrl,
    )
    const response = await fetch(url, {
      signal: AbortSignal.timeout(this.#timeoutMs),
      headers: signedHeaders(this.#secret, randomUUID(), 'GET', url, ''),
    })
    if (response.status === 404) {
      await response.arrayBuffer()
      return null
    }
    if (response.status !== 200) {
      await response.arrayBuffer()
      throw new Error(`mailbox counts answered HTTP ${response.status}`)
    }
    const counts = readCounts(await response.json())
    if (!counts) throw new Error('mailbox counts answered an unexpected body')
    return counts
  }
}
