import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { isolate } from '#tests/helpers'
import queueService from '#services/queue/queue_service'
import {
  CDR,
  SESSION_UPDATE,
  cdr,
  post,
  sessionUpdate,
  webhookTenant,
  type WebhookTenant,
} from '#tests/functional/webhooks/support'

const START = 1767089379000
const ANSWER = 1767089386000
const END = 1767089441000

/* One answered call, as the edge emits it (contract §6.1), then its CDR. */
function answeredCall(domain: string, token: string) {
  return [
    { path: SESSION_UPDATE, body: sessionUpdate(domain, token, { status: 'processing' }) },
    { path: SESSION_UPDATE, body: sessionUpdate(domain, token, { status: 'ringing' }) },
    {
      path: SESSION_UPDATE,
      body: sessionUpdate(domain, token, { status: 'connected', callAnswerTime: ANSWER }),
    },
    {
      path: SESSION_UPDATE,
      body: sessionUpdate(domain, token, {
        status: 'connected',
        callAnswerTime: ANSWER,
        callEndTime: END,
      }),
    },
    { path: CDR, body: cdr(domain, token) },
  ]
}

function busyCall(domain: string, token: string) {
  return [
    { path: SESSION_UPDATE, body: sessionUpdate(domain, token, { status: 'processing' }) },
    { path: SESSION_UPDATE, body: sessionUpdate(domain, token, { status: 'ringing' }) },
    {
      path: SESSION_UPDATE,
      body: sessionUpdate(domain, token, { status: 'busy', callEndTime: END }),
    },
    {
      path: CDR,
      body: cdr(domain, token, {
        disposition: 'BUSY',
        billsec: 0,
        duration: 9,
        session: { token, callStartTime: START, callEndTime: END, status: 'busy' },
      }),
    },
  ]
}

/* Deterministic shuffle (mulberry32), so a failure can be replayed from its seed. */
function shuffled<T>(items: T[], seed: number) {
  let a = seed
  const random = () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const copy = [...items]
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[copy[i], copy[j]] = [copy[j], copy[i]]
  }
  return copy
}

async function deliver(t: WebhookTenant, events: { path: string; body: unknown }[]) {
  for (const event of events) {
    const response = await post(event.path, event.body, { bearer: t.secrets[0] })
    if (response.status !== 200) throw new Error(`${event.path}: ${response.status}`)
  }
}

async function finalCall(organizationId: number, token: string) {
  const row = await db
    .from('call_logs')
    .where('organization_id', organizationId)
    .where('call_id', token)
    .firstOrFail()
  const [cdrs] = await db
    .from('call_detail_records')
    .where('organization_id', organizationId)
    .where('session_token', token)
    .count('* as n')
  return {
    status: row.status,
    direction: row.direction,
    from: row.from_number,
    to: row.to_number,
    initiatedAt: row.initiated_at.toISOString(),
    answeredAt: row.answered_at?.toISOString() ?? null,
    endedAt: row.ended_at?.toISOString() ?? null,
    duration: row.duration_seconds,
    billsec: row.billsec_seconds,
    disposition: row.disposition,
    cdrs: Number(cdrs.n),
  }
}

test.group('Session updates and CDRs: call state', (group) => {
  isolate(group)

  test('an answered call ends completed with times from the events and one CDR', async ({
    assert,
  }) => {
    const t = await webhookTenant()
    await deliver(t, answeredCall(t.domain, 'tok-in-order'))
    assert.deepEqual(await finalCall(t.organization.id, 'tok-in-order'), {
      status: 'completed',
      direction: 'inbound',
      from: '+14155550100',
      to: '+14155550199',
      initiatedAt: new Date(START).toISOString(),
      answeredAt: new Date(ANSWER).toISOString(),
      endedAt: new Date(END).toISOString(),
      duration: 62,
      billsec: 55,
      disposition: 'CONNECTED',
      cdrs: 1,
    })
  })

  for (const [name, scenario] of [
    ['answered', answeredCall],
    ['busy', busyCall],
  ] as const) {
    test(`shuffled triple deliveries of a ${name} call end as in-order delivery`, async ({
      assert,
    }) => {
      const t = await webhookTenant()
      await deliver(t, scenario(t.domain, 'tok-reference'))
      const expected = await finalCall(t.organization.id, 'tok-reference')
      for (const seed of [1, 2, 3, 4, 5, 6]) {
        const token = `tok-shuffled-${seed}`
        const events = scenario(t.domain, token)
        await deliver(t, shuffled([...events, ...events, ...events], seed))
        assert.deepEqual(await finalCall(t.organization.id, token), expected, `seed ${seed}`)
      }
      assert.equal(expected.status, name === 'answered' ? 'completed' : 'busy')
      assert.equal(expected.cdrs, 1)
    }).timeout(30_000)
  }

  test('a late ringing after answered is ignored and still answered 200', async ({ assert }) => {
    const t = await webhookTenant()
    const answered = sessionUpdate(t.domain, 'tok-late', {
      status: 'connected',
      callAnswerTime: ANSWER,
    })
    const ringing = sessionUpdate(t.domain, 'tok-late', { status: 'ringing' })
    assert.equal((await post(SESSION_UPDATE, answered, { bearer: t.secrets[0] })).status, 200)
    const late = await post(SESSION_UPDATE, ringing, { bearer: t.secrets[0] })
    assert.equal(late.status, 200)
    assert.deepEqual(late.json, { ok: true })
    assert.equal((await finalCall(t.organization.id, 'tok-late')).status, 'answered')
  })

  test('statuses we do not track are accepted with 200 and move nothing', async ({ assert }) => {
    const t = await webhookTenant()
    const body = sessionUpdate(t.domain, 'tok-external', { status: 'external' })
    const response = await post(SESSION_UPDATE, body, { bearer: t.secrets[0] })
    assert.deepEqual([response.status, response.json], [200, { ok: true }])
    assert.equal((await finalCall(t.organization.id, 'tok-external')).status, 'initiated')
  })

  test('a one-element array body is accepted (as dograh observed)', async ({ assert }) => {
    const t = await webhookTenant()
    const body = [sessionUpdate(t.domain, 'tok-array', { status: 'ringing' })]
    const response = await post(SESSION_UPDATE, body, { bearer: t.secrets[0] })
    assert.equal(response.status, 200)
    assert.equal((await finalCall(t.organization.id, 'tok-array')).status, 'ringing')
  })

  test('invalid payloads get field-level 422s and store nothing', async ({ assert }) => {
    const t = await webhookTenant()
    const update = sessionUpdate(t.domain, 'tok-x', { callStartTime: 'yesterday' })
    delete (update as Record<string, unknown>).token
    const bad = await post(SESSION_UPDATE, update, { bearer: t.secrets[0] })
    assert.equal(bad.status, 422)
    const fields = bad.json.error.details.fields.map((e: { field: string }) => e.field)
    assert.includeMembers(fields, ['token', 'callStartTime'])

    const badCdr = await post(CDR, cdr(t.domain, 'tok-y', { disposition: null, billsec: -1 }), {
      bearer: t.secrets[0],
    })
    assert.equal(badCdr.status, 422)
    const cdrFields = badCdr.json.error.details.fields.map((e: { field: string }) => e.field)
    assert.includeMembers(cdrFields, ['disposition', 'billsec'])
    const [count] = await db
      .from('call_logs')
      .where('organization_id', t.organization.id)
      .count('* as n')
    assert.equal(Number(count.n), 0)
  })

  test('state changes are published on calls:<organizationId>', async ({ assert }) => {
    const t = await webhookTenant()
    const messages: unknown[] = []
    const channel = `calls:${t.organization.id}`
    // A dedicated subscriber connection: SUBSCRIBE must be acknowledged before posting.
    const subscriber = redis.connection().ioConnection.duplicate()
    subscriber.on('message', (_channel: string, message: string) =>
      messages.push(JSON.parse(message)),
    )
    await subscriber.subscribe(channel)
    try {
      await deliver(t, [
        { path: SESSION_UPDATE, body: sessionUpdate(t.domain, 'tok-pub', { status: 'ringing' }) },
        { path: SESSION_UPDATE, body: sessionUpdate(t.domain, 'tok-pub', { status: 'ringing' }) },
      ])
      const deadline = Date.now() + 3000
      while (messages.length < 1 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20))
      await new Promise((r) => setTimeout(r, 100))
      assert.lengthOf(messages, 1)
      assert.containsSubset(messages[0], {
        callId: 'tok-pub',
        state: 'ringing',
        previous: 'initiated',
        source: 'session-update',
      })
    } finally {
      await subscriber.quit()
    }
  })

  test('a stored CDR enqueues a call.cdr_received job for its organization', async ({ assert }) => {
    const t = await webhookTenant()
    await queueService.queue().obliterate({ force: true })
    await post(CDR, cdr(t.domain, 'tok-job'), { bearer: t.secrets[0] })
    const row = await db.from('call_detail_records').where('session_token', 'tok-job').firstOrFail()
    const jobs = await queueService.queue().getJobs(['waiting', 'delayed', 'active'])
    const mine = jobs.filter((job) => job.name === 'call.cdr_received')
    assert.lengthOf(mine, 1)
    assert.deepEqual(mine[0].data, { organizationId: t.organization.id, cdrId: row.id })
    await queueService.queue().obliterate({ force: true })
  })

  test('the CDR keeps the raw payload and the Cloudonix figures', async ({ assert }) => {
    const t = await webhookTenant()
    const body = cdr(t.domain, 'tok-raw', { rated_cost: 0.0123, vapp_server: '172.24.40.152' })
    await post(CDR, body, { bearer: t.secrets[0] })
    const row = await db.from('call_detail_records').where('session_token', 'tok-raw').firstOrFail()
    assert.equal(row.organization_id, t.organization.id)
    assert.equal(row.billsec, 55)
    assert.equal(Number(row.rated_cost), 0.0123)
    assert.equal(row.call_answer_time.toISOString(), new Date(ANSWER).toISOString())
    assert.deepEqual(row.raw_cdr, body)
  })
})

/*
 * Outside the per-test transaction, so the requests really run in parallel on separate
 * connections and the FOR UPDATE row lock is what keeps them consistent.
 */
test.group('Session updates and CDRs: concurrent deliveries', (group) => {
  group.each.setup(async () => {
    await redis.flushdb()
  })

  test('the same events delivered all at once end as in-order delivery', async ({ assert }) => {
    const t = await webhookTenant()
    try {
      await deliver(t, answeredCall(t.domain, 'tok-reference'))
      const expected = await finalCall(t.organization.id, 'tok-reference')
      const events = answeredCall(t.domain, 'tok-parallel')
      const all = shuffled([...events, ...events, ...events], 42)
      const responses = await Promise.all(
        all.map((e) => post(e.path, e.body, { bearer: t.secrets[0] })),
      )
      assert.isTrue(responses.every((r) => r.status === 200 || r.status === 409))
      // A sender retries what was in flight, as the edge does on 409.
      await deliver(t, events)
      assert.deepEqual(await finalCall(t.organization.id, 'tok-parallel'), expected)
    } finally {
      await db.from('users').where('organization_id', t.organization.id).delete()
      await db.from('organizations').where('id', t.organization.id).delete()
    }
  }).timeout(30_000)
})
