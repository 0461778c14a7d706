import redis from '@adonisjs/redis/services/main'
import logger from '@adonisjs/core/services/logger'
import type Organization from '#models/organization'
import CallLog from '#models/call_log'
import { callChannel, type CallStateMessage } from '#services/calls/call_events'
import { serializeCallLog } from '#transformers/call_log_transformer'

export type LiveCallEvent = CallStateMessage & {
  /** The call as stored after the change; null when this process cannot see it (yet). */
  call: ReturnType<typeof serializeCallLog> | null
}

type Listener = (event: LiveCallEvent) => void

type Audience = { organization: Organization; listeners: Set<Listener>; ready: Promise<void> }

/**
 * Fans the `calls:<organizationId>` Redis channel out to the live-call pages connected to
 * this process. Each web process holds one subscription per organization that has a page
 * open (whatever the number of pages), so any process can serve any page: a state change
 * published by the process that took the webhook reaches them all. The call row is read
 * once per message, not once per open page.
 */
export class LiveCallFeed {
  #audiences = new Map<number, Audience>()

  /**
   * Starts delivering the organization's call events once Redis has acknowledged the
   * subscription (so a caller that re-reads the calls afterwards misses nothing); the
   * returned function stops it.
   */
  async subscribe(organization: Organization, listener: Listener) {
    let audience = this.#audiences.get(organization.id)
    if (!audience) {
      const channel = callChannel(organization.id)
      let acknowledged: () => void = () => {}
      let refused: (error: unknown) => void = () => {}
      const ready = new Promise<void>((resolve, reject) => {
        acknowledged = resolve
        refused = reject
      })
      audience = { organization, listeners: new Set(), ready }
      this.#audiences.set(organization.id, audience)
      // The connection's own subscribe: the manager's shortcut drops the acknowledgement hook.
      redis.connection().subscribe(
        channel,
        (raw: string) => {
          this.#deliver(organization.id, raw).catch((error) =>
            logger.warn({ err: error, organizationId: organization.id }, 'live call event dropped'),
          )
        },
        { onSubscription: () => acknowledged(), onError: (error) => refused(error) },
      )
    }
    audience.listeners.add(listener)
    try {
      await audience.ready
    } catch (error) {
      this.#leave(organization.id, listener)
      throw error
    }
    return () => this.#leave(organization.id, listener)
  }

  listenerCount(organizationId: number) {
    return this.#audiences.get(organizationId)?.listeners.size ?? 0
  }

  #leave(organizationId: number, listener: Listener) {
    const audience = this.#audiences.get(organizationId)
    if (!audience) return
    audience.listeners.delete(listener)
    if (audience.listeners.size > 0) return
    this.#audiences.delete(organizationId)
    redis
      .connection()
      .unsubscribe(callChannel(organizationId))
      .catch(() => {})
  }

  async #deliver(organizationId: number, raw: string) {
    const audience = this.#audiences.get(organizationId)
    if (!audience) return
    let message: CallStateMessage
    try {
      message = JSON.parse(raw) as CallStateMessage
    } catch {
      return
    }
    if (typeof message?.callId !== 'string') return
    const row = await CallLog.query()
      .withScopes((s) => s.forOrganization(audience.organization))
      .where('call_id', message.callId)
      .first()
    const event: LiveCallEvent = { ...message, call: row ? serializeCallLog(row) : null }
    for (const listener of audience.listeners) listener(event)
  }
}

const liveCallFeed = new LiveCallFeed()
export default liveCallFeed
