/**
 * Redis outage under load (R15, issue #10), the long version of
 * tests/reliability/redis_outage.spec.ts. The app runs on its own redis-server (a random
 * port, never the shared one); a steady open-loop load of calls (a signed voice-routing
 * request, four signed session updates and a signed CDR per call, in order, as the edge
 * sends them) plus API reads runs before, during and after Redis is stopped for 60 s, and
 * Redis then comes back empty (no persistence: every idempotency key and cache entry lost).
 *
 * Documented behaviour (docs/webhooks.md "Idempotency", docs/voice_routing.md "Routing
 * cache"): the per-IP webhook and voice budgets live in Redis, so without it every webhook
 * and routing request is refused with 503 E_SERVICE_UNAVAILABLE and Retry-After before any
 * write, and the edge retries; routing data would otherwise come from PostgreSQL. The
 * overload guard's 503 E_OVERLOADED (also with Retry-After) sheds what piles up meanwhile.
 * Pass: from the stop on, every answer is a 200 (routing p99 ≤ 100 ms) or a 503 with
 * Retry-After, never a 500, a reset or a hang (no answer within 15 s); the app is back to
 * all-200 before the load ends (the recovery time is a figure); every delivery is then
 * accepted, every delivery is replayed once more (the edge's retries), and each call still
 * has exactly one call row, one CDR, the completed state, no state applied twice and no more
 * applied transitions than a call delivered before the outage.
 */
import { randomUUID } from 'node:crypto'
import { signedHeaders } from '../../voip-edge/src/events/signer.ts'
import { Recorder, ms } from '../lib/stats.ts'
import { sleep, startRedis, type AppProcess } from '../lib/processes.ts'
import { psql } from '../lib/database.ts'
import type { Seeded, Suite } from '../lib/suite.ts'
import { cdrBody, sessionUpdateBodies, voiceRouteBody } from '../lib/webhook_bodies.ts'
import type { Row } from '../lib/report.ts'
import { UNLIMITED } from './webhook_flood.ts'

type Phase = 'before' | 'outage' | 'after'
type Delivery = { kind: 'route' | 'update' | 'cdr'; path: string; body: string; requestId: string }
type Result = {
  kind: Delivery['kind'] | 'api'
  phase: Phase
  sentAt: number
  status: number
  ms: number
  retryAfter: string | null
  code?: string
}

const START = Date.parse('2026-01-05T10:00:00Z')
const TIMEOUT_MS = 15_000

function deliveries(tenant: Seeded['tenants'][number], token: string): Delivery[] {
  const call = { domain: tenant.domain, did: tenant.dids[0], token, startedAt: START }
  return [
    {
      kind: 'route',
      path: '/api/voice/route',
      requestId: randomUUID(),
      body: voiceRouteBody(call),
    },
    ...sessionUpdateBodies(call).map((body): Delivery => ({
      kind: 'update',
      path: '/api/webhooks/cloudonix/session-update',
      requestId: randomUUID(),
      body,
    })),
    {
      kind: 'cdr',
      path: '/api/webhooks/cloudonix/cdr',
      requestId: randomUUID(),
      body: cdrBody(call),
    },
  ]
}

/* Status, latency and, for a refusal, the error code of the envelope (E_OVERLOADED, …). */
async function answerOf(response: Response, started: number) {
  const text = await response.text()
  const elapsed = performance.now() - started
  let code: string | undefined
  if (response.status !== 200) {
    try {
      code = (JSON.parse(text) as { error?: { code?: string } }).error?.code
    } catch {
      code = 'non-JSON'
    }
  }
  return {
    status: response.status,
    ms: elapsed,
    retryAfter: response.headers.get('retry-after'),
    code,
  }
}

/* The edge signs every attempt anew and keeps the request id of the delivery for retries. */
async function deliver(app: AppProcess, secret: string, delivery: Delivery) {
  const url = new URL(delivery.path, app.url)
  const started = performance.now()
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signedHeaders(secret, delivery.requestId, 'POST', url, delivery.body),
      },
      body: delivery.body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
    return await answerOf(response, started)
  } catch {
    return { status: 0, ms: performance.now() - started, retryAfter: null, code: 'timeout' }
  }
}

async function apiRead(app: AppProcess, token: string) {
  const started = performance.now()
  try {
    const response = await fetch(`${app.url}/api/v1/extensions?perPage=20`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
    return await answerOf(response, started)
  } catch {
    return { status: 0, ms: performance.now() - started, retryAfter: null, code: 'timeout' }
  }
}

const recorderOf = (results: Result[]) => {
  const recorder = new Recorder()
  for (const result of results) recorder.add(result)
  return recorder
}

const describe = (results: Result[]) => {
  const r = recorderOf(results)
  const refusals: Record<string, number> = {}
  for (const result of results) {
    if (result.status === 200) continue
    const key =
      `${result.kind} ${result.status || ''}${result.code ? ` ${result.code}` : ''}`.trim()
    refusals[key] = (refusals[key] ?? 0) + 1
  }
  const shown = Object.entries(refusals)
    .map(([key, n]) => `${key} ×${n}`)
    .join(', ')
  return `${r.count} answers, ${r.statuses['200'] ?? 0} × 200${shown ? ` (else: ${shown})` : ''}, p99 ${ms(r.percentile(99))}`
}

export async function redisOutage(
  app: AppProcess,
  seeded: Seeded,
  redis: { stop(): Promise<void>; start(): Promise<void> },
  options: {
    secret: string
    database: string
    rate: number
    beforeSeconds: number
    outageSeconds: number
    afterSeconds: number
  },
): Promise<Row[]> {
  const run = randomUUID().slice(0, 8)
  const calls: { token: string; deliveries: Delivery[]; phase: Phase }[] = []
  const results: Result[] = []
  const pending: Delivery[] = []
  let phase: Phase = 'before'
  let stopping = false
  let restartedAt = 0

  const callLoop = async () => {
    const inFlight = new Set<Promise<void>>()
    const interval = 1000 / options.rate
    let due = performance.now()
    for (let n = 0; !stopping; n++) {
      const wait = due - performance.now()
      if (wait > 1) await sleep(wait)
      due += interval
      // Beyond this many calls in flight the generator waits: it never piles up unboundedly.
      if (inFlight.size >= 400) await Promise.race(inFlight)
      const tenant = seeded.tenants[n % seeded.tenants.length]
      const token = `redis-${run}-${n}`
      const call = { token, deliveries: deliveries(tenant, token), phase }
      calls.push(call)
      const flight: Promise<void> = (async () => {
        for (const delivery of call.deliveries) {
          const sentAt = performance.now()
          const sentIn = phase
          const answer = await deliver(app, options.secret, delivery)
          results.push({ kind: delivery.kind, phase: sentIn, sentAt, ...answer })
          // Like the edge's spool: what was not accepted is delivered again later.
          if (answer.status !== 200) pending.push(delivery)
        }
      })().finally(() => inFlight.delete(flight))
      inFlight.add(flight)
    }
    await Promise.all(inFlight)
  }
  const apiLoop = async () => {
    const inFlight = new Set<Promise<void>>()
    const interval = 2000 / options.rate
    let due = performance.now()
    for (let n = 0; !stopping; n++) {
      const wait = due - performance.now()
      if (wait > 1) await sleep(wait)
      due += interval
      if (inFlight.size >= 200) await Promise.race(inFlight)
      const tenant = seeded.tenants[n % seeded.tenants.length]
      const token = tenant.tokens[n % tenant.tokens.length]
      const sentAt = performance.now()
      const sentIn = phase
      const flight: Promise<void> = apiRead(app, token)
        .then((answer) => void results.push({ kind: 'api', phase: sentIn, sentAt, ...answer }))
        .finally(() => inFlight.delete(flight))
      inFlight.add(flight)
    }
    await Promise.all(inFlight)
  }

  const load = Promise.all([callLoop(), apiLoop()])
  await sleep(options.beforeSeconds * 1000)
  phase = 'outage'
  const stoppedAt = performance.now()
  await redis.stop()
  const health = await fetch(`${app.url}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) })
    .then((response) => response.status)
    .catch(() => 0)
  await sleep(options.outageSeconds * 1000)
  phase = 'after'
  await redis.start()
  restartedAt = performance.now()
  await sleep(options.afterSeconds * 1000)
  stopping = true
  await load

  // The spool's retries, then every delivery of every call once more (the edge redelivers
  // whatever it is unsure of): 16 at a time, a few rounds.
  const replay = async (batch: Delivery[]) => {
    const refused: Delivery[] = []
    for (let i = 0; i < batch.length; i += 16) {
      const chunk = batch.slice(i, i + 16)
      const answers = await Promise.all(chunk.map((d) => deliver(app, options.secret, d)))
      answers.forEach((answer, j) => {
        if (answer.status !== 200) refused.push(chunk[j])
      })
    }
    return refused
  }
  let unaccepted = pending.splice(0)
  let rounds = 0
  while (unaccepted.length > 0 && rounds < 5) {
    rounds += 1
    unaccepted = await replay(unaccepted)
    if (unaccepted.length > 0) await sleep(1000)
  }
  const redelivered = calls.flatMap((call) => call.deliveries)
  const redeliveryRefused = await replay(redelivered)

  const rows = psql(
    options.database,
    `select l.call_id, count(distinct l.id), min(l.status),
       (select count(*) from call_detail_records c
         where c.organization_id = l.organization_id and c.session_token = l.call_id),
       (select count(*) from call_events e
         where e.organization_id = l.organization_id and e.call_log_id = min(l.id) and e.applied),
       (select count(distinct e.state) from call_events e
         where e.organization_id = l.organization_id and e.call_log_id = min(l.id) and e.applied)
     from call_logs l where l.call_id like 'redis-${run}-%' group by l.call_id, l.organization_id`,
  )
  const found = new Map(
    rows.map(([callId, logs, status, cdrs, applied, states]) => [
      callId,
      { logs, status, cdrs, applied: Number(applied), states: Number(states) },
    ]),
  )
  // What a call delivered with Redis up applies (calls overlap, so a late update may be
  // rightly ignored even then: the most any such call applied).
  const clean = calls
    .filter((call) => call.phase === 'before')
    .map((call) => found.get(call.token)?.applied)
    .filter((applied): applied is number => applied !== undefined)
  const reference = clean.length > 0 ? Math.max(...clean) : undefined
  const wrong = calls.filter((call) => {
    const row = found.get(call.token)
    return (
      !row ||
      row.logs !== '1' ||
      row.cdrs !== '1' ||
      row.status !== 'completed' ||
      // Deliveries refused during the outage arrive late: a stale update is rightly not
      // applied (fewer transitions); one applied twice would be duplicate processing.
      reference === undefined ||
      row.applied > reference ||
      row.applied !== row.states
    )
  })

  // An answer belongs to the phase it arrived in: a request in flight when Redis stopped
  // is answered (or hangs) during the outage.
  for (const r of results) {
    const answeredAt = r.sentAt + r.ms
    r.phase = answeredAt < stoppedAt ? 'before' : answeredAt < restartedAt ? 'outage' : 'after'
  }
  const during = results.filter((r) => r.phase === 'outage')
  // A hang or a 500 caused by the outage may surface after Redis is back: both count.
  const bad = results.filter(
    (r) =>
      r.phase !== 'before' && !(r.status === 200 || (r.status === 503 && r.retryAfter !== null)),
  )
  // The edge gives up on a session update after 5 s and on routing or a CDR after 8 s
  // (voip-edge/src/events/*, VOIP_EDGE_CXML_TIMEOUT_MS) and delivers again.
  const edgeGaveUp = results.filter(
    (r) => r.phase !== 'before' && r.kind !== 'api' && r.ms > (r.kind === 'update' ? 5000 : 8000),
  ).length
  const routedDuring = during.filter((r) => r.kind === 'route' && r.status === 200)
  const routedP99 = recorderOf(routedDuring).percentile(99, 'accepted')
  // Recovered: from the first request sent after the restart that every later one was a 200.
  const afterRestart = results
    .filter((r) => r.sentAt >= restartedAt)
    .sort((a, b) => a.sentAt - b.sentAt)
  const lastRefused = afterRestart.filter((r) => r.status !== 200).at(-1)
  const recoveryMs = lastRefused ? lastRefused.sentAt + lastRefused.ms - restartedAt : 0
  const webhooks = (p: Phase) => results.filter((r) => r.phase === p && r.kind !== 'api')
  const reads = (p: Phase) => results.filter((r) => r.phase === p && r.kind === 'api')
  const phases = calls.reduce<Record<Phase, number>>(
    (acc, call) => ({ ...acc, [call.phase]: acc[call.phase] + 1 }),
    { before: 0, outage: 0, after: 0 },
  )
  const errors = [
    ...new Set(
      app
        .output()
        .split('\n')
        .filter((line) => line.includes('"level":50'))
        .map((line) => /"msg":"([^"]{0,120})/.exec(line)?.[1] ?? line.slice(0, 120)),
    ),
  ].slice(0, 3)

  return [
    {
      suite: `Redis stopped for ${options.outageSeconds} s under load (${options.rate} calls/s × 6 signed webhooks + ${options.rate / 2} API reads/s)`,
      criterion:
        'routing continues (degraded p99 ≤ 100 ms) or fails closed as documented (503 + Retry-After, no 500/hang); no duplicate processing after Redis returns',
      figures:
        `webhooks before: ${describe(webhooks('before'))}; during: ${describe(webhooks('outage'))}` +
        (routedDuring.length > 0
          ? ` (routing answered 200 ${routedDuring.length}×, p99 ${ms(routedP99)})`
          : ' (routing: none answered 200, all refused)') +
        `; after: ${describe(webhooks('after'))}. API reads before ${describe(reads('before'))}, during ${describe(reads('outage'))}, after ${describe(reads('after'))}. ` +
        `${edgeGaveUp} webhook answers from the stop on came after the edge's own timeout (5 s updates, 8 s routing/CDR). /health during: ${health}. Redis down ${((restartedAt - stoppedAt) / 1000).toFixed(1)} s; recovered ${(recoveryMs / 1000).toFixed(1)} s after Redis restarted (empty). ` +
        `Calls ${calls.length} (${phases.before} before, ${phases.outage} during, ${phases.after} after); ` +
        `${rounds} retry rounds, ${unaccepted.length} deliveries never accepted; all ${redelivered.length} deliveries replayed once more, ${redeliveryRefused.length} not answered 200; ` +
        `${calls.length - wrong.length}/${calls.length} calls exactly once (1 call row, 1 CDR, completed, no state applied twice, at most the ${reference ?? '?'} transitions of a clean call)` +
        (errors.length > 0 ? `; app errors: ${errors.join(' / ')}` : ''),
      pass:
        bad.length === 0 &&
        (routedDuring.length === 0 || routedP99 <= 100) &&
        recoveryMs < options.afterSeconds * 1000 &&
        unaccepted.length === 0 &&
        redeliveryRefused.length === 0 &&
        reference !== undefined &&
        wrong.length === 0,
    },
  ]
}

export const suite: Suite = {
  name: 'redis',
  order: 45,
  describe:
    'Redis stopped under steady webhook + API load: documented 503s, recovery, no duplicates (R15)',
  async run(ctx) {
    const outageSeconds = ctx.number('redis-outage-seconds', 60, 20)
    const rate = ctx.number('redis-call-rate', 5, 5)
    const seeded = await ctx.seeded()
    // Its own redis-server: stopping the run's shared one would break the other suites' apps.
    const redis = await startRedis()
    try {
      const app = await ctx.startApp({
        ...UNLIMITED,
        REDIS_PORT: String(redis.port),
        QUEUE_PREFIX: `opbx-reliability-redis-${process.pid}`,
      })
      try {
        return await redisOutage(app, seeded, redis, {
          secret: ctx.edgeSecret,
          database: ctx.database,
          rate,
          beforeSeconds: ctx.quick ? 10 : 20,
          outageSeconds,
          afterSeconds: ctx.quick ? 30 : 60,
        })
      } finally {
        await app.stop()
      }
    } finally {
      await redis.stop()
    }
  },
}
