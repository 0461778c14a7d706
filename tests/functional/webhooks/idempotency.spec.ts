import { test } from '@japa/runner'
import { randomUUID } from 'node:crypto'
import redis from '@adonisjs/redis/services/main'
import {
  claim,
  complete,
  release,
  MAX_STORED_BODY_BYTES,
  IDEMPOTENCY_TTL_SECONDS,
  PROCESSING_TTL_SECONDS,
} from '#services/webhooks/idempotency'

test.group('Webhook idempotency (real Redis)', (group) => {
  group.each.setup(async () => {
    await redis.flushdb()
  })

  test('first claim wins; a concurrent duplicate is in flight; a completed one gets the stored answer', async ({
    assert,
  }) => {
    const id = randomUUID()
    const body = '{"eventId":"e1"}'
    const [a, b] = await Promise.all([claim('org-1', id, body), claim('org-1', id, body)])
    assert.sameDeepMembers([a, b], [{ outcome: 'claimed' }, { outcome: 'in_flight' }])

    await complete('org-1', id, body, {
      status: 200,
      contentType: 'application/xml',
      body: '<Response/>',
    })
    assert.deepEqual(await claim('org-1', id, body), {
      outcome: 'completed',
      response: { status: 200, contentType: 'application/xml', body: '<Response/>' },
    })
    const ttl = await redis.ttl(`idem:org-1:${id}`)
    assert.isAbove(ttl, IDEMPOTENCY_TTL_SECONDS - 10)
  })

  test('a claim whose process died mid-request (never completed nor released) expires within minutes, not a day', async ({
    assert,
  }) => {
    const id = randomUUID()
    assert.deepEqual(await claim('org-1', id, 'x'), { outcome: 'claimed' })
    const ttl = await redis.ttl(`idem:org-1:${id}`)
    assert.isAbove(ttl, 0)
    assert.isAtMost(ttl, PROCESSING_TTL_SECONDS)
    assert.isBelow(PROCESSING_TTL_SECONDS, 5 * 60)
    // Answered, the key is kept for the full replay window.
    await complete('org-1', id, 'x', { status: 200, contentType: 'text/plain', body: 'ok' })
    assert.isAbove(await redis.ttl(`idem:org-1:${id}`), IDEMPOTENCY_TTL_SECONDS - 10)
  })

  test('the same id with a different body is a mismatch', async ({ assert }) => {
    const id = randomUUID()
    await claim('org-1', id, '{"a":1}')
    assert.deepEqual(await claim('org-1', id, '{"a":2}'), { outcome: 'body_mismatch' })
  })

  test('ids are scoped: another tenant can use the same id', async ({ assert }) => {
    const id = randomUUID()
    assert.deepEqual(await claim('org-1', id, 'x'), { outcome: 'claimed' })
    assert.deepEqual(await claim('org-2', id, 'x'), { outcome: 'claimed' })
  })

  test('large bodies keep only the metadata; a released claim can be retried', async ({
    assert,
  }) => {
    const id = randomUUID()
    await claim('org-1', id, 'x')
    await complete('org-1', id, 'x', {
      status: 200,
      contentType: 'text/plain',
      body: 'y'.repeat(MAX_STORED_BODY_BYTES + 1),
    })
    assert.deepEqual(await claim('org-1', id, 'x'), {
      outcome: 'completed',
      response: { status: 200, contentType: 'text/plain', body: null },
    })

    const retry = randomUUID()
    await claim('org-1', retry, 'x')
    await release('org-1', retry)
    assert.deepEqual(await claim('org-1', retry, 'x'), { outcome: 'claimed' })
  })
})
