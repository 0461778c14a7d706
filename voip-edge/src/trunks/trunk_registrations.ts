/**
 * Keeps every registration trunk registered with its carrier: REGISTER (digest answered
 * only from the trunk host), refreshed before the granted expiry runs out, retried with
 * backoff after a failure, and one REGISTER with `Expires: 0` on shutdown. The list comes
 * from the app (`OutboundPlanStore.registrationTrunks()`), re-read periodically and on
 * `POST /v1/reload`; the state of each is reported by control `GET /v1/status`.
 */
import { randomUUID } from 'node:crypto'
import { lookup } from 'node:dns/promises'
import { isIP } from 'node:net'
import type { Logger } from 'pino'
import type { SignalingPeer } from '../signaling/signaling_port.ts'
import type { OutboundPlanStore, RegistrationTrunk } from './plan_store.ts'

export interface RegisterSender {
  register(options: {
    registrar: string
    peer: SignalingPeer
    aor: string
    expires: number
    callId: string
    cseq: number
    credentials: { username: string; password: string } | null
  }): Promise<{ status: number; expires: number | null; cseq: number }>
}

export interface TrunkRegistrationState {
  trunkId: string
  organizationId: string
  host: string
  state: 'registering' | 'registered' | 'failed'
  lastStatus: number | null
  /** Epoch ms when the current registration lapses (registered only). */
  expiresAt: number | null
  registrations: number
  failures: number
}

interface Entry {
  trunk: RegistrationTrunk
  callId: string
  cseq: number
  timer: NodeJS.Timeout | null
  state: TrunkRegistrationState
}

const key = (trunk: RegistrationTrunk) =>
  [trunk.id, trunk.host, trunk.port, trunk.transport, trunk.username, trunk.password].join('|')

/** Refresh well before expiry: halfway for short grants, 30 s early for long ones. */
export function refreshDelayMs(grantedSec: number): number {
  return Math.max(1000, grantedSec * 1000 - Math.min(grantedSec * 500, 30_000))
}

export class TrunkRegistrations {
  readonly #port: RegisterSender
  readonly #plans: OutboundPlanStore
  readonly #logger: Logger
  readonly #resolve: (host: string) => Promise<string>
  readonly #listRefreshMs: number
  readonly #entries = new Map<string, Entry>()
  #listTimer: NodeJS.Timeout | null = null
  #stopped = false

  constructor(options: {
    port: RegisterSender
    plans: OutboundPlanStore
    logger: Logger
    resolve?(host: string): Promise<string>
    listRefreshMs?: number
  }) {
    this.#port = options.port
    this.#plans = options.plans
    this.#logger = options.logger
    this.#resolve =
      options.resolve ??
      (async (host) => {
        const found = await lookup(host)
        return found.address
      })
    this.#listRefreshMs = options.listRefreshMs ?? 300_000
  }

  async start(): Promise<void> {
    await this.sync()
    const again = () => {
      this.#listTimer = setTimeout(() => void this.sync().finally(again), this.#listRefreshMs)
      this.#listTimer.unref()
    }
    again()
  }

  /** Re-reads the trunk list: new trunks register, removed ones unregister, changed ones restart. */
  async sync(): Promise<void> {
    let trunks: RegistrationTrunk[]
    try {
      trunks = await this.#plans.registrationTrunks()
    } catch (error) {
      this.#logger.warn({ err: error }, 'registration trunk list unavailable')
      return
    }
    if (this.#stopped) return
    const wanted = new Map(trunks.map((trunk) => [key(trunk), trunk]))
    for (const [id, entry] of this.#entries) {
      if (wanted.has(id)) continue
      this.#entries.delete(id)
      if (entry.timer) clearTimeout(entry.timer)
      void this.#unregister(entry)
    }
    for (const [id, trunk] of wanted) {
      if (this.#entries.has(id)) continue
      const entry: Entry = {
        trunk,
        callId: `${randomUUID()}@voip-edge`,
        cseq: 1,
        timer: null,
        state: {
          trunkId: trunk.id,
          organizationId: trunk.organizationId,
          host: trunk.host,
          state: 'registering',
          lastStatus: null,
          expiresAt: null,
          registrations: 0,
          failures: 0,
        },
      }
      this.#entries.set(id, entry)
      void this.#register(entry)
    }
  }

  status(): TrunkRegistrationState[] {
    return [...this.#entries.values()].map((entry) => ({ ...entry.state }))
  }

  async stop(): Promise<void> {
    this.#stopped = true
    if (this.#listTimer) clearTimeout(this.#listTimer)
    const entries = [...this.#entries.values()]
    this.#entries.clear()
    for (const entry of entries) if (entry.timer) clearTimeout(entry.timer)
    // Best effort and bounded: a dead carrier must not hold the shutdown.
    await Promise.race([
      Promise.allSettled(entries.map((entry) => this.#unregister(entry))),
      new Promise((resolve) => setTimeout(resolve, 2000).unref()),
    ])
  }

  async #send(entry: Entry, expires: number) {
    const { trunk } = entry
    const address = isIP(trunk.host) ? trunk.host : await this.#resolve(trunk.host)
    const result = await this.#port.register({
      registrar: `sip:${trunk.host}:${trunk.port}${trunk.transport === 'udp' ? '' : `;transport=${trunk.transport}`}`,
      peer: { protocol: trunk.transport, address, port: trunk.port, flowId: null },
      aor: `sip:${encodeURIComponent(trunk.username ?? 'edge')}@${trunk.host}`,
      expires,
      callId: entry.callId,
      cseq: entry.cseq,
      credentials:
        trunk.username && trunk.password
          ? { username: trunk.username, password: trunk.password }
          : null,
    })
    entry.cseq = result.cseq + 1
    return result
  }

  async #register(entry: Entry): Promise<void> {
    if (this.#stopped || !this.#entries.has(key(entry.trunk))) return
    const log = this.#logger.child({ trunkId: entry.trunk.id, host: entry.trunk.host })
    const requested = entry.trunk.registerExpiry ?? 300
    let result: { status: number; expires: number | null }
    try {
      result = await this.#send(entry, requested)
    } catch (error) {
      log.warn({ err: error }, 'trunk registration could not be sent')
      result = { status: 503, expires: null }
    }
    if (this.#stopped || !this.#entries.has(key(entry.trunk))) return
    entry.state.lastStatus = result.status
    let delay: number
    if (result.status >= 200 && result.status < 300) {
      const granted = result.expires ?? requested
      entry.state.state = 'registered'
      entry.state.registrations++
      entry.state.expiresAt = Date.now() + granted * 1000
      entry.state.failures = 0
      delay = refreshDelayMs(granted)
      log.info({ granted }, 'trunk registered')
    } else {
      entry.state.state = 'failed'
      entry.state.expiresAt = null
      entry.state.failures++
      // 30 s, 60 s, … capped at 10 min: a carrier refusing us must not be hammered.
      delay = Math.min(30_000 * 2 ** (entry.state.failures - 1), 600_000)
      log.warn({ status: result.status, retryInMs: delay }, 'trunk registration failed')
    }
    entry.timer = setTimeout(() => void this.#register(entry), delay)
    entry.timer.unref()
  }

  async #unregister(entry: Entry): Promise<void> {
    if (entry.state.state !== 'registered') return
    try {
      await this.#send(entry, 0)
    } catch {
      // the carrier lets the registration lapse on its own
    }
  }
}
