import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import {
  CDR,
  SESSION_UPDATE,
  cdr,
  post,
  sessionUpdate,
  webhookTenant,
  type WebhookTenant,
} from '#tests/functional/webhooks/support'
import { CALL_STATES, TERMINAL_STATES, type CallState } from '#services/calls/call_state'
import { prng, shuffle, pool } from '#tests/reliability/support/random'

/*
 * R11 at scale: tests/functional/webhooks/call_events.spec.ts proves one call at a time
 * (six fixed seeds, sequential) and one call delivered all at once. This delivers N calls
 * of four outcomes for two tenants, every event three times, the whole set shuffled with
 * one seed and sent concurrently (bounded pool), retrying 409s as the edge does. Pass:
 * one call_logs row and one CDR per call, final rows equal to in-order delivery, and the
 * published transitions of each call form one forward path (no state twice, none backwards).
 * The seed is printed; RELIABILITY_SEED=<n> replays a run.
 */

const START = 1767089379000
const ANSWER = 1767089386000
const END = 1767089441000
const CALLS_PER_OUTCOME = Number(process.env.RELIABILITY_CALLS ?? 6)

type Event = { path: string; body: unknown }
type Outcome = 'answered' | 'busy' | 'no_answer' | 'canceled'

function scenario(outcome: Outcome, domain: string, token: string): Event[] {
  const update = (fields: Record<string, unknown>) => ({
    path: SESSION_UPDATE,
    body: sessionUpdate(domain, token, fields),
  })
  const record = (disposition: string, status: string, billsec = 0) => ({
    path: CDR,
    body: cdr(domain, token, {
      disposition,
      billsec,
      duration: 62,
      session: {
        token,
        domain,
        callStartTime: START,
        callAnswerTime: billsec ? ANSWER : null,
        callEndTime: END,
        status,
      },
    }),
  })
  const opening = [update({ status: 'processing' }), update({ status: 'ringing' })]
  switch (outcome) {
    case 'answered':
      return [
        ...opening,
        update({ status: 'connected', callAnswerTime: ANSWER }),
        update({ status: 'connected', callAnswerTime: ANSWER, callEndTime: END }),
        record('CONNECTED', 'connected', 55),
      ]
    case 'busy':
      return [...opening, update({ status: 'busy', callEndTime: END }), record('BUSY', 'busy')]
    case 'no_answer':
      return [
        ...opening,
        update({ status: 'noanswer', callEndTime: END }),
        record('NOANSWER', 'noanswer'),
      ]
    case 'canceled':
      return [
        ...opening,
        update({ status: 'cancel', callEndTime: END }),
        record('CANCEL', 'cancel'),
      ]
  }
}

async function clearLimits() {
  const keys = await redis.keys('rlflx*')
  if (keys.length > 0) await redis.del(...keys)
}

/* Delivers like the edge: a 409 (same event in flight) is retried until it is not. */
async function deliver(t: WebhookTenant, event: Event) {
  for (let attempt = 0; attempt < 50; attempt++) {
    await clearLimits()
    const response = await post(event.path, event.body, { bearer: t.secrets[0] })
    if (response.status === 200) return
    if (response.status !== 409)
      throw new Error(`${event.path}: ${response.status} ${response.text}`)
    await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)))
  }
  throw new Error(`${event.path}: still 409 after 50 attempts`)
}

async function finalCall(organizationId: number, token: string) {
  const rows = await db
    .from('call_logs')
    .where('organization_id', organizationId)
    .where('call_id', token)
  const [cdrs] = await db
    .from('call_detail_records')
    .where('organization_id', organizationId)
    .where('session_token', token)
    .count('* as n')
  const row = rows[0]
  return {
    rows: rows.length,
    cdrs: Number(cdrs.n),
    status: row?.status,
    answeredAt: row?.answered_at?.toISOString() ?? null,
    endedAt: row?.ended_at?.toISOString() ?? null,
    duration: row?.duration_seconds,
    billsec: row?.billsec_seconds,
    disposition: row?.disposition,
  }
}

type Published = { callId: string; state: CallState; previous: CallState }

const RANK = Object.fromEntries(CALL_STATES.map((s, i) => [s, i])) as Record<CallState, number>
const progress = (s: CallState) => (TERMINAL_STATES.includes(s) ? 10 + RANK[s] : RANK[s])

/** Problems with one call's published transitions, given its final stored state. */
function pathProblems(messages: Published[], final: CallState) {
  const problems: string[] = []
  const ordered = [...messages].sort((x, y) => progress(x.state) - progress(y.state))
  let at: CallState = 'initiated'
  const seen = new Set<CallState>()
  for (const m of ordered) {
    if (seen.has(m.state)) problems.push(`${m.state} published twice`)
    seen.add(m.state)
    if (progress(m.state) <= progress(m.previous))
      problems.push(`${m.previous}→${m.state} backwards`)
    if (m.previous !== at) problems.push(`${m.previous}→${m.state} does not continue from ${at}`)
    at = m.state
  }
  if (at !== final) problems.push(`path ends at ${at}, row is ${final}`)
  return problems
}

test.group('Reliability R11: shuffled triple deliveries of many calls at once', (group) => {
  const tenants: WebhookTenant[] = []
  group.each.setup(async () => {
    await redis.flushdb()
  })
  group.each.teardown(async () => {
    for (const t of tenants.splice(0)) {
      const id = t.organization.id
      for (const table of ['call_detail_records', 'call_logs', 'webhook_secrets'])
        await db.from(table).where('organization_id', id).delete()
      await db.from('organization_settings').where('organization_id', id).delete()
      await db.from('users').where('organization_id', id).delete()
      await db.from('organizations').where('id', id).delete()
    }
  })

  test('every call ends as in-order delivery, once, along one forward path', async ({ assert }) => {
    const seed = Number(process.env.RELIABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31))
    const random = prng(seed)
    console.log(`duplicate delivery: seed ${seed} (RELIABILITY_SEED=${seed} replays it)`)
    tenants.push(await webhookTenant(), await webhookTenant())
    const outcomes: Outcome[] = ['answered', 'busy', 'no_answer', 'canceled']

    // The reference: each outcome delivered once, in order, per tenant.
    const expected = new Map<string, Awaited<ReturnType<typeof finalCall>>>()
    for (const t of tenants) {
      for (const outcome of outcomes) {
        const token = `ref-${outcome}-${t.organization.id}`
        for (const event of scenario(outcome, t.domain, token)) await deliver(t, event)
        expected.set(`${t.organization.id}:${outcome}`, await finalCall(t.organization.id, token))
      }
    }

    const calls: { tenant: WebhookTenant; outcome: Outcome; token: string }[] = []
    for (const tenant of tenants)
      for (const outcome of outcomes)
        for (let i = 0; i < CALLS_PER_OUTCOME; i++)
          calls.push({
            tenant,
            outcome,
            token: `dup-${seed}-${tenant.organization.id}-${outcome}-${i}`,
          })
    const deliveries = shuffle(
      calls.flatMap((call) => {
        const events = scenario(call.outcome, call.tenant.domain, call.token)
        return [...events, ...events, ...events].map((event) => ({ tenant: call.tenant, event }))
      }),
      random,
    )

    const published = new Map<string, Published[]>()
    const subscriber = redis.connection().ioConnection.duplicate()
    subscriber.on('message', (_channel: string, text: string) => {
      const message = JSON.parse(text) as Published
      published.set(message.callId, [...(published.get(message.callId) ?? []), message])
    })
    await subscriber.subscribe(...tenants.map((t) => `calls:${t.organization.id}`))
    const started = performance.now()
    try {
      await pool(deliveries, 12, ({ tenant, event }) => deliver(tenant, event))
      // Publishing happens after each commit: wait until the channel has been quiet.
      let count = -1
      for (let waited = 0; waited < 10_000; waited += 250) {
        const now = [...published.values()].reduce((n, list) => n + list.length, 0)
        if (now === count) break
        count = now
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    } finally {
      await subscriber.quit()
    }
    const seconds = (performance.now() - started) / 1000

    const problems: string[] = []
    for (const call of calls) {
      const orgId = call.tenant.organization.id
      const got = await finalCall(orgId, call.token)
      const want = expected.get(`${orgId}:${call.outcome}`)!
      if (JSON.stringify(got) !== JSON.stringify(want))
        problems.push(`${call.token}: ${JSON.stringify(got)} != ${JSON.stringify(want)}`)
      for (const p of pathProblems(published.get(call.token) ?? [], got.status))
        problems.push(`${call.token}: ${p}`)
    }
    console.log(
      `duplicate delivery: ${calls.length} calls, ${deliveries.length} deliveries in ` +
        `${seconds.toFixed(1)} s, ${problems.length} problems (seed ${seed})`,
    )
    assert.deepEqual(problems, [], `seed ${seed}`)
    for (const want of expected.values()) assert.equal(want.rows, 1)
  }).timeout(170_000)
})
