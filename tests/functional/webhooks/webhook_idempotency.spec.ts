import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { isolate } from '#tests/helpers'
import { claim } from '#services/webhooks/idempotency'
import {
  CDR,
  EDGE_SECRET,
  SESSION_UPDATE,
  cdr,
  post,
  sessionUpdate,
  webhookTenant,
} from '#tests/functional/webhooks/support'

async function cdrCount(organizationId: number) {
  const [row] = await db
    .from('call_detail_records')
    .where('organization_id', organizationId)
    .count('* as n')
  return Number(row.n)
}

test.group('Webhook idempotency middleware', (group) => {
  isolate(group)

  test('a replayed request id gets the stored response without new side effects', async ({
    assert,
  }) => {
    const t = await webhookTenant()
    const requestId = randomUUID()
    const body = cdr(t.domain, 'tok-replay')
    const first = await post(CDR, body, { sign: EDGE_SECRET(), requestId })
    assert.equal(first.status, 200)
    assert.deepEqual(first.json, { ok: true, stored: true })
    // Re-signed with a fresh timestamp, as the edge does on a retry.
    const again = await post(CDR, body, { sign: EDGE_SECRET(), requestId })
    assert.equal(again.status, 200)
    // A second run of the handler would have answered stored: false.
    assert.deepEqual(again.json, { ok: true, stored: true })
    assert.match(again.headers.get('content-type')!, /application\/json/)
    assert.equal(await cdrCount(t.organization.id), 1)
  })

  test('a duplicate while the first is still being handled gets 409', async ({ assert }) => {
    const t = await webhookTenant()
    const requestId = randomUUID()
    const body = sessionUpdate(t.domain, 'tok-inflight', {})
    await claim(`webhook:${t.organization.id}:request`, requestId, JSON.stringify(body))
    const response = await post(SESSION_UPDATE, body, { sign: EDGE_SECRET(), requestId })
    assert.equal(response.status, 409)
    assert.equal(response.json.error.code, 'E_DUPLICATE_IN_FLIGHT')
  })

  test('concurrent deliveries of one request are handled once', async ({ assert }) => {
    const t = await webhookTenant()
    const requestId = randomUUID()
    const body = cdr(t.domain, 'tok-concurrent')
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => post(CDR, body, { sign: EDGE_SECRET(), requestId })),
    )
    const statuses = responses.map((r) => r.status)
    assert.includeMembers([200, 409], [...new Set(statuses)])
    assert.include(statuses, 200)
    assert.isTrue(responses.filter((r) => r.status === 200).every((r) => r.json.stored === true))
    assert.equal(await cdrCount(t.organization.id), 1)
  })

  test('the same request id with a different body is refused with 422', async ({ assert }) => {
    const t = await webhookTenant()
    const requestId = randomUUID()
    const body = sessionUpdate(t.domain, 'tok-reuse', {})
    assert.equal((await post(SESSION_UPDATE, body, { sign: EDGE_SECRET(), requestId })).status, 200)
    const other = { ...body, status: 'connected' }
    const response = await post(SESSION_UPDATE, other, { sign: EDGE_SECRET(), requestId })
    assert.equal(response.status, 422)
    assert.equal(response.json.error.code, 'E_IDEMPOTENCY_KEY_REUSED')
  })

  test('a failed handler releases the key so a retry is processed', async ({ assert }) => {
    const t = await webhookTenant()
    const eventId = randomUUID()
    const invalid = sessionUpdate(t.domain, 'tok-release', { eventId, status: 42 })
    const failed = await post(SESSION_UPDATE, invalid, { bearer: t.secrets[0] })
    assert.equal(failed.status, 422)
    assert.equal(await redis.exists(`idem:webhook:${t.organization.id}:event:${eventId}`), 0)
    const fixed = { ...invalid, status: 'ringing' }
    assert.equal((await post(SESSION_UPDATE, fixed, { bearer: t.secrets[0] })).status, 200)
  })

  test('Cloudonix senders are deduplicated by eventId', async ({ assert }) => {
    const t = await webhookTenant()
    const body = sessionUpdate(t.domain, 'tok-event', { status: 'ringing' })
    assert.equal((await post(SESSION_UPDATE, body, { bearer: t.secrets[0] })).status, 200)
    assert.equal((await post(SESSION_UPDATE, body, { bearer: t.secrets[0] })).status, 200)
    const changed = { ...body, status: 'connected' }
    const reused = await post(SESSION_UPDATE, changed, { bearer: t.secrets[0] })
    assert.equal(reused.status, 422)
  })

  test('CDRs are deduplicated by session token, and the database is the backstop', async ({
    assert,
  }) => {
    const t = await webhookTenant()
    const body = cdr(t.domain, 'tok-cdr-dedupe')
    const first = await post(CDR, body, { bearer: t.secrets[0] })
    assert.deepEqual(first.json, { ok: true, stored: true })
    const replay = await post(CDR, body, { bearer: t.secrets[0] })
    assert.deepEqual(replay.json, { ok: true, stored: true })
    // Redis lost its keys (restart, flush): the unique index still keeps one CDR.
    await redis.flushdb()
    const afterFlush = await post(CDR, { ...body, billsec: 1 }, { bearer: t.secrets[0] })
    assert.equal(afterFlush.status, 200)
    assert.deepEqual(afterFlush.json, { ok: true, stored: false })
    assert.equal(await cdrCount(t.organization.id), 1)
    const call = await db.from('call_logs').where('organization_id', t.organization.id).first()
    assert.equal(call.billsec_seconds, 55)
  })

  test('keys are per tenant: the same event id in two tenants is two events', async ({
    assert,
  }) => {
    const a = await webhookTenant()
    const b = await webhookTenant()
    const eventId = randomUUID()
    const ra = await post(SESSION_UPDATE, sessionUpdate(a.domain, 'tok-a', { eventId }), {
      bearer: a.secrets[0],
    })
    const rb = await post(SESSION_UPDATE, sessionUpdate(b.domain, 'tok-b', { eventId }), {
      bearer: b.secrets[0],
    })
    assert.deepEqual([ra.status, rb.status], [200, 200])
    const calls = await db
      .from('call_logs')
      .whereIn('organization_id', [a.organization.id, b.organization.id])
    assert.lengthOf(calls, 2)
  })
})
