/**
 * Established calls survive the edge process in Redis, so a crash (SIGKILL, OOM, power loss:
 * no drain) does not leave phones in a call nobody will ever end (R18). Each edge keeps
 *
 * - `edge:alive:<instance>`: a heartbeat key that expires `ownerTtlMs` after the process
 *   stops refreshing it;
 * - `edge:calls:<instance>`: a hash, one compact record per established call (both legs'
 *   dialog state, the media anchor, the CDR facts), removed when the call ends; the hash
 *   expires too (`recordTtlMs`, refreshed by the heartbeat) so nothing outlives a lost key;
 * - `edge:owners`: the instances that may have records.
 *
 * Every edge sweeps the owners on start and on each heartbeat: records of an owner whose
 * heartbeat is gone are claimed one by one (HDEL: exactly one edge wins each), both legs get
 * a BYE, the rtpengine session is deleted and the call's CDR is written. An edge restarted
 * after a crash therefore ends its predecessor's calls within ownerTtlMs + heartbeatMs, and
 * in a multi-instance deployment any surviving edge does it. Instance ids are per process
 * (random), so a restarted edge never mistakes its predecessor's calls for its own.
 *
 * The records are refreshed on each heartbeat when a dialog changed (a transfer's new B-leg,
 * an IVR call bridged later, a re-INVITE's CSeq), so they lag the call by at most one beat;
 * the recovery BYE skips CSeq ahead to cover requests sent since.
 */
import type { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { CallSession } from './call_session.ts'
import type { DialogRequestOptions, DialogSnapshot } from '../signaling/signaling_port.ts'

export interface CallRecord {
  callId: string
  owner: string
  organizationId: string
  facts: { domain: string; from: string; to: string }
  startedAt: number
  answeredAt: number | null
  /** The rtpengine call-id anchoring the call's media. */
  mediaCallId: string
  legs: DialogSnapshot[]
}

/** A CSeq only has to grow (RFC 3261 §12.2.1.1): this covers requests the record missed. */
export const RECOVERY_CSEQ_GAP = 100

export interface CallRecoveryOptions {
  redis: Redis
  prefix: string
  instanceId: string
  logger: Logger
  /** The calls this edge has up now. */
  sessions(): Iterable<CallSession>
  sendBye(options: DialogRequestOptions): Promise<number>
  deleteMedia(callId: string): Promise<unknown>
  /** A crashed edge's call was ended here (CDR, session update). */
  onRecovered?(record: CallRecord, endedAt: number): void
  heartbeatMs?: number
  ownerTtlMs?: number
  recordTtlMs?: number
}

export class CallRecovery {
  readonly #o: Required<Omit<CallRecoveryOptions, 'onRecovered'>> &
    Pick<CallRecoveryOptions, 'onRecovered'>
  /** JSON last written per call, so a heartbeat only rewrites what changed. */
  readonly #saved = new Map<string, string>()
  readonly #pending = new Set<Promise<unknown>>()
  #timer: NodeJS.Timeout | null = null
  #sweeping = false

  constructor(options: CallRecoveryOptions) {
    this.#o = { heartbeatMs: 2000, ownerTtlMs: 8000, recordTtlMs: 3_600_000, ...options }
  }

  #aliveKey(owner: string): string {
    return `${this.#o.prefix}edge:alive:${owner}`
  }

  #callsKey(owner: string): string {
    return `${this.#o.prefix}edge:calls:${owner}`
  }

  get #ownersKey(): string {
    return `${this.#o.prefix}edge:owners`
  }

  async start(): Promise<void> {
    await this.#beat()
    await this.sweep()
    this.#timer = setInterval(() => void this.#tick(), this.#o.heartbeatMs)
    this.#timer.unref()
  }

  /** Graceful stop: calls were hung up already; nothing of ours is left to recover. */
  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
    await Promise.allSettled([...this.#pending])
    const { redis, instanceId } = this.#o
    await redis
      .multi()
      .del(this.#aliveKey(instanceId), this.#callsKey(instanceId))
      .srem(this.#ownersKey, instanceId)
      .exec()
      .catch((error: unknown) => this.#o.logger.warn({ err: error }, 'call records not cleared'))
  }

  /** Hooked to the calls' status: a connected call is recorded, an ended one forgotten. */
  onStatus(session: CallSession, status: string): void {
    if (status === 'connected') this.#track(this.#save(session))
    else if (status === 'ended' && this.#saved.delete(session.callId))
      this.#track(this.#o.redis.hdel(this.#callsKey(this.#o.instanceId), session.callId))
  }

  #track(work: Promise<unknown>): void {
    const guarded = work.catch((error: unknown) =>
      this.#o.logger.warn({ err: error }, 'call record not written'),
    )
    this.#pending.add(guarded)
    void guarded.finally(() => this.#pending.delete(guarded))
  }

  #record(session: CallSession): CallRecord | null {
    const legs = [session.a.dialog, session.bDialog].flatMap((dialog) =>
      dialog && !dialog.terminated && dialog.snapshot ? [dialog.snapshot()] : [],
    )
    if (legs.length === 0 || session.cleanedUp) return null
    return {
      callId: session.callId,
      owner: this.#o.instanceId,
      organizationId: session.organizationId,
      facts: session.facts,
      startedAt: session.startedAt,
      answeredAt: session.answeredAt,
      mediaCallId: session.callId,
      legs,
    }
  }

  /** Writes the call's record when it changed; the command is issued synchronously. */
  #save(session: CallSession): Promise<unknown> {
    const record = this.#record(session)
    if (!record) return Promise.resolve()
    const json = JSON.stringify(record)
    if (this.#saved.get(session.callId) === json) return Promise.resolve()
    this.#saved.set(session.callId, json)
    const key = this.#callsKey(this.#o.instanceId)
    return this.#o.redis
      .multi()
      .hset(key, session.callId, json)
      .pexpire(key, this.#o.recordTtlMs)
      .exec()
      .catch((error: unknown) => {
        // Not written: the next heartbeat tries again.
        if (this.#saved.get(session.callId) === json) this.#saved.delete(session.callId)
        throw error
      })
  }

  async #beat(): Promise<void> {
    const { redis, instanceId, ownerTtlMs, recordTtlMs } = this.#o
    const writes = [...this.#o.sessions()].map((session) => this.#save(session))
    await Promise.all([
      ...writes,
      redis
        .multi()
        .set(this.#aliveKey(instanceId), String(Date.now()), 'PX', ownerTtlMs)
        .sadd(this.#ownersKey, instanceId)
        .pexpire(this.#callsKey(instanceId), recordTtlMs)
        .exec(),
    ])
  }

  async #tick(): Promise<void> {
    try {
      await this.#beat()
      await this.sweep()
    } catch (error) {
      this.#o.logger.warn({ err: error }, 'call record heartbeat failed')
    }
  }

  /**
   * Claims and ends the calls of edges whose heartbeat is gone; resolves with how many it
   * claimed (their BYEs may still be in flight: `settled()` waits for them).
   */
  async sweep(): Promise<number> {
    if (this.#sweeping) return 0
    this.#sweeping = true
    try {
      const { redis, instanceId } = this.#o
      let claimed = 0
      for (const owner of await redis.smembers(this.#ownersKey)) {
        if (owner === instanceId || (await redis.exists(this.#aliveKey(owner))) === 1) continue
        const key = this.#callsKey(owner)
        for (const [callId, json] of Object.entries(await redis.hgetall(key))) {
          if ((await redis.hdel(key, callId)) !== 1) continue
          claimed++
          this.#track(this.#recover(JSON.parse(json) as CallRecord))
        }
        // A dead owner never writes again: once its hash is drained it is forgotten.
        if ((await redis.exists(key)) === 0) await redis.srem(this.#ownersKey, owner)
      }
      return claimed
    } finally {
      this.#sweeping = false
    }
  }

  async #recover(record: CallRecord): Promise<void> {
    const byes = record.legs.map((leg) =>
      this.#o.sendBye({
        method: 'BYE',
        target: leg.remoteTarget,
        // The crashed process's connections are gone: a TCP peer is dialled anew.
        peer: { protocol: leg.peer.protocol, address: leg.peer.address, port: leg.peer.port },
        callId: leg.callId,
        from: `${leg.localUri};tag=${leg.localTag}`,
        to: `${leg.remoteUri};tag=${leg.remoteTag}`,
        cseq: leg.localSeq + RECOVERY_CSEQ_GAP,
        headers: [{ name: 'reason', value: 'SIP;cause=500;text="edge restarted"' }],
      }),
    )
    const media = this.#o.deleteMedia(record.mediaCallId).then(
      () => true,
      () => false,
    )
    const statuses = await Promise.all(byes)
    const endedAt = Date.now()
    this.#o.logger.warn(
      {
        callId: record.callId,
        owner: record.owner,
        organizationId: record.organizationId,
        byes: statuses,
        mediaDeleted: await media,
      },
      'call of a crashed edge instance hung up',
    )
    this.#o.onRecovered?.(record, endedAt)
  }

  /** Recoveries and record writes in flight (tests, shutdown). */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending])
  }
}
