/**
 * Webhook flood (R10/R11/R21, issue #10): signed voice-routing requests plus session updates
 * and CDRs for many calls, every delivery sent three times and shuffled, offered open-loop at
 * a target rate (default 2 × the 1,500/s routing goal). What is not answered 200 (409 in
 * flight, 429/503 shed, timeouts) is retried afterwards the way the edge's spool does.
 * Pass: every call ends with exactly one call row and one CDR, completed; figures: achieved
 * rate, latency percentiles and status counts during the flood.
 */
import { randomUUID } from 'node:crypto'
import { signedHeaders } from '../../voip-edge/src/events/signer.ts'
import { Recorder, ms, pct } from '../lib/stats.ts'
import { sleep, type AppProcess } from '../lib/processes.ts'
import { psql } from '../lib/database.ts'
import type { Seeded, Suite } from '../lib/suite.ts'
import type { Row } from '../lib/report.ts'
import { cdrBody, sessionUpdateBodies, voiceRouteBody } from '../lib/webhook_bodies.ts'

type Delivery = {
  path: string
  body: string
  headers: () => Record<string, string>
}

const START = 1767089379000

function callDeliveries(
  tenant: Seeded['tenants'][number],
  token: string,
  edgeSecret: string,
  appUrl: string,
): Delivery[] {
  const bearer = { authorization: `Bearer ${tenant.secret}`, 'content-type': 'application/json' }
  const call = {
    domain: tenant.domain,
    did: tenant.dids[Math.floor(Math.random() * tenant.dids.length)],
    token,
    startedAt: START,
  }
  const voiceBody = voiceRouteBody(call)
  const voiceId = randomUUID()
  const cdrId = randomUUID()
  return [
    {
      path: '/api/voice/route',
      body: voiceBody,
      // The edge signs every attempt anew, with the same request id for retries.
      headers: () => ({
        'content-type': 'application/json',
        ...signedHeaders(
          edgeSecret,
          voiceId,
          'POST',
          new URL('/api/voice/route', appUrl),
          voiceBody,
        ),
      }),
    },
    ...sessionUpdateBodies(call).map((body) => ({
      path: '/api/webhooks/cloudonix/session-update',
      body,
      headers: () => bearer,
    })),
    {
      path: '/api/webhooks/cloudonix/cdr',
      body: cdrBody(call),
      headers: () => ({ ...bearer, 'x-edge-request-id': cdrId }),
    },
  ]
}

async function send(app: AppProcess, delivery: Delivery) {
  const started = performance.now()
  try {
    const response = await fetch(`${app.url}${delivery.path}`, {
      method: 'POST',
      headers: delivery.headers(),
      body: delivery.body,
      signal: AbortSignal.timeout(15_000),
    })
    await response.arrayBuffer()
    return { status: response.status, ms: performance.now() - started }
  } catch {
    return { status: 0, ms: performance.now() - started }
  }
}

function shuffleWindow<T>(items: T[], window: number) {
  const out: T[] = []
  for (let i = 0; i < items.length; i += window) {
    const chunk = items.slice(i, i + window)
    for (let j = chunk.length - 1; j > 0; j--) {
      const k = Math.floor(Math.random() * (j + 1))
      ;[chunk[j], chunk[k]] = [chunk[k], chunk[j]]
    }
    out.push(...chunk)
  }
  return out
}

export type FloodOptions = {
  rate: number
  seconds: number
  maxInFlight: number
  database: string
  edgeSecret: string
}

export async function webhookFlood(
  app: AppProcess,
  seeded: Seeded,
  options: FloodOptions,
): Promise<Row[]> {
  const run = randomUUID().slice(0, 8)
  const tokens: { tenant: Seeded['tenants'][number]; token: string }[] = []
  // Calls are made as the flood goes, eight at a time, their 8 × 18 deliveries shuffled
  // together: duplicates and reordering across calls, and every started call finishes.
  const queue: Delivery[] = []
  const nextWindow = () => {
    const window: Delivery[] = []
    for (let i = 0; i < 8; i++) {
      const tenant = seeded.tenants[tokens.length % seeded.tenants.length]
      const token = `flood-${run}-${tokens.length}`
      tokens.push({ tenant, token })
      const events = callDeliveries(tenant, token, options.edgeSecret, app.url)
      window.push(...events, ...events, ...events)
    }
    queue.push(...shuffleWindow(window, window.length))
  }
  const recorder = new Recorder()
  const pending: Delivery[] = []
  const slots = new Set<Promise<void>>()
  let behindMs = 0
  const started = performance.now()
  const end = started + options.seconds * 1000
  const interval = 1000 / options.rate
  let due = started
  // Offered open-loop at the rate; when the generator already has maxInFlight requests
  // waiting for answers, it waits for one (the server is the limit): counted as "behind".
  while (performance.now() < end) {
    if (queue.length === 0) nextWindow()
    const wait = due - performance.now()
    if (wait > 1) await sleep(wait)
    due += interval
    if (slots.size >= options.maxInFlight) {
      const blocked = performance.now()
      await Promise.race(slots)
      behindMs += performance.now() - blocked
    }
    const delivery = queue.shift()!
    const slot: Promise<void> = send(app, delivery).then((result) => {
      slots.delete(slot)
      recorder.add(result)
      if (result.status !== 200) pending.push(delivery)
    })
    slots.add(slot)
  }
  await Promise.all(slots)
  // The rest of the last window: its calls were started, so they are delivered too.
  pending.push(...queue.splice(0))
  const floodSeconds = (performance.now() - started) / 1000
  const callCount = tokens.length

  // The spool's retries: whatever was not accepted, again, a few rounds, 16 at a time.
  let retryRounds = 0
  while (pending.length > 0 && retryRounds < 5) {
    retryRounds += 1
    const batch = pending.splice(0)
    for (let i = 0; i < batch.length; i += 16) {
      const results = await Promise.all(batch.slice(i, i + 16).map((d) => send(app, d)))
      results.forEach((result, j) => {
        if (result.status !== 200) pending.push(batch[i + j])
      })
    }
    if (pending.length > 0) await sleep(1000)
  }

  const rows = psql(
    options.database,
    `select l.call_id, count(distinct l.id), l.status, (select count(*) from call_detail_records c
       where c.organization_id = l.organization_id and c.session_token = l.call_id)
     from call_logs l where l.call_id like 'flood-${run}-%' group by l.call_id, l.status, l.organization_id`,
  )
  const found = new Map(
    rows.map(([callId, logs, status, cdrs]) => [callId, { logs, status, cdrs }]),
  )
  const problems = tokens.filter(({ token }) => {
    const row = found.get(token)
    return !row || row.logs !== '1' || row.cdrs !== '1' || row.status !== 'completed'
  })
  const achieved = recorder.count / floodSeconds
  // What the app logged for its 500s (distinct messages), so a failing row says why.
  const errors = [
    ...new Set(
      app
        .output()
        .split('\n')
        .filter((line) => line.includes('"level":50'))
        .map((line) => /"msg":"([^"]{0,160})/.exec(line)?.[1] ?? line.slice(0, 160)),
    ),
  ].slice(0, 3)
  const shed = recorder.countOf((s) => s === '429' || s === '503')
  return [
    {
      suite: `Webhook flood for ${options.seconds} s, offered ${options.rate}/s: ${callCount} calls × 6 webhooks × 3 deliveries`,
      criterion: 'one call row and one CDR per call, completed; no 500s',
      figures:
        `${recorder.count} answered in ${floodSeconds.toFixed(1)} s (${achieved.toFixed(0)}/s achieved; the ` +
        `generator waited ${(behindMs / 1000).toFixed(1)} s with ${options.maxInFlight} in flight), p50 ${ms(recorder.percentile(50))}, ` +
        `p95 ${ms(recorder.percentile(95))}, p99 ${ms(recorder.percentile(99))}, shed ${pct(shed, recorder.count)}, ` +
        `statuses ${JSON.stringify(recorder.statuses)}; ${retryRounds} retry rounds, ` +
        `${pending.length} never accepted; ${tokens.length - problems.length}/${tokens.length} calls exactly once` +
        (errors.length > 0 ? `; app errors: ${errors.join(' / ')}` : ''),
      pass:
        problems.length === 0 && pending.length === 0 && recorder.countOf((s) => s === '500') === 0,
    },
  ]
}

/** The flood measures the handlers, not the per-IP budget (that is tested in CI). */
export const UNLIMITED = {
  WEBHOOK_RATE_LIMIT: '10000000',
  VOICE_RATE_LIMIT: '10000000',
  WEBHOOK_IP_CEILING: '10000000',
  VOICE_IP_CEILING: '10000000',
}

export const suite: Suite = {
  name: 'flood',
  order: 20,
  describe:
    'signed routing and status webhooks at 2x the routing target, each delivered 3x shuffled (R11, R21)',
  async run(ctx) {
    const seeded = await ctx.seeded()
    const app = await ctx.startApp(UNLIMITED)
    try {
      return await webhookFlood(app, seeded, {
        rate: ctx.number('flood-rate', 3000, 3000),
        seconds: ctx.number('flood-seconds', 60, 15),
        maxInFlight: ctx.number('flood-in-flight', 256, 256),
        database: ctx.database,
        edgeSecret: ctx.edgeSecret,
      })
    } finally {
      await app.stop()
    }
  },
}
