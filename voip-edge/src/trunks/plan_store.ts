/**
 * Where the edge gets tenants' outbound plans and the registration trunks it must keep
 * registered. The app serves both over signed HTTP (the same X-Edge-* signing as the
 * credential endpoints):
 *
 *   GET /api/edge/organizations/<organizationId>/outbound-plan → 200 OutboundPlan | 404
 *   GET /api/edge/registration-trunks                         → 200 {"trunks": RegistrationTrunk[]}
 *
 * Plans are cached 30 s per tenant (a call burst is one request); an unreachable app is an
 * error, which the caller turns into a refused call rather than an unchecked one.
 */
import { randomUUID } from 'node:crypto'
import { signedHeaders } from '../events/signer.ts'
import type { OutboundPlan, OutboundTrunk } from './outbound_plan.ts'

export interface RegistrationTrunk extends OutboundTrunk {
  organizationId: string
}

export interface OutboundPlanStore {
  /** The tenant's plan; an empty plan (no routes) when the tenant has none. */
  plan(organizationId: string): Promise<OutboundPlan>
  /** Every enabled registration trunk of every tenant. */
  registrationTrunks(): Promise<RegistrationTrunk[]>
}

export class InMemoryPlanStore implements OutboundPlanStore {
  readonly plans = new Map<string, OutboundPlan>()

  constructor(plans: Record<string, OutboundPlan> = {}) {
    for (const [organizationId, plan] of Object.entries(plans)) this.plans.set(organizationId, plan)
  }

  async plan(organizationId: string): Promise<OutboundPlan> {
    return this.plans.get(organizationId) ?? { routes: [], rules: [], trunks: [] }
  }

  async registrationTrunks(): Promise<RegistrationTrunk[]> {
    return [...this.plans].flatMap(([organizationId, plan]) =>
      plan.trunks
        .filter((trunk) => trunk.kind === 'register')
        .map((trunk) => ({ ...trunk, organizationId })),
    )
  }
}

/* Anything but an object with a reason reads as "not suspended"; a bare `true` still suspends. */
function suspensionOf(value: unknown): OutboundPlan['outboundSuspension'] {
  if (!value) return null
  const fields = typeof value === 'object' ? (value as Record<string, unknown>) : {}
  return {
    since: typeof fields.since === 'string' ? fields.since : '',
    reason: typeof fields.reason === 'string' ? fields.reason : 'suspended',
  }
}

export class PlanStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'PlanStoreError'
  }
}

export class HttpPlanStore implements OutboundPlanStore {
  readonly #baseUrl: string
  readonly #secret: string
  readonly #timeoutMs: number
  readonly #ttlMs: number
  readonly #cache = new Map<string, { plan: OutboundPlan; expiresAt: number }>()

  constructor(options: {
    baseUrl: string
    signingSecret: string
    timeoutMs?: number
    ttlMs?: number
  }) {
    this.#baseUrl = options.baseUrl
    this.#secret = options.signingSecret
    this.#timeoutMs = options.timeoutMs ?? 3000
    this.#ttlMs = options.ttlMs ?? 30_000
  }

  async plan(organizationId: string): Promise<OutboundPlan> {
    const cached = this.#cache.get(organizationId)
    if (cached && cached.expiresAt > Date.now()) return cached.plan
    const body = await this.#get(
      `/api/edge/organizations/${encodeURIComponent(organizationId)}/outbound-plan`,
    )
    const plan: OutboundPlan =
      body === null
        ? { routes: [], rules: [], trunks: [] }
        : {
            routes: Array.isArray(body.routes) ? (body.routes as OutboundPlan['routes']) : [],
            rules: Array.isArray(body.rules) ? (body.rules as OutboundPlan['rules']) : [],
            trunks: Array.isArray(body.trunks) ? (body.trunks as OutboundPlan['trunks']) : [],
            outboundSuspension: suspensionOf(body.outboundSuspension),
          }
    if (this.#cache.size >= 10_000) this.#cache.delete(this.#cache.keys().next().value!)
    this.#cache.set(organizationId, { plan, expiresAt: Date.now() + this.#ttlMs })
    return plan
  }

  async registrationTrunks(): Promise<RegistrationTrunk[]> {
    const body = await this.#get('/api/edge/registration-trunks')
    return Array.isArray(body?.trunks) ? (body.trunks as RegistrationTrunk[]) : []
  }

  /** Drops cached plans (control `POST /v1/reload`). */
  clear(): void {
    this.#cache.clear()
  }

  async #get(path: string): Promise<Record<string, unknown> | null> {
    const url = new URL(path, this.#baseUrl)
    let response: Response
    try {
      response = await fetch(url, {
        signal: AbortSignal.timeout(this.#timeoutMs),
        headers: signedHeaders(this.#secret, randomUUID(), 'GET', url, ''),
      })
    } catch (error) {
      throw new PlanStoreError(`outbound plan request failed: ${(error as Error).message}`, {
        cause: error,
      })
    }
    if (response.status === 404) {
      await response.arrayBuffer()
      return null
    }
    if (response.status !== 200) {
      await response.arrayBuffer()
      throw new PlanStoreError(`outbound plan request answered HTTP ${response.status}`)
    }
    return (await response.json()) as Record<string, unknown>
  }
}
