import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { createTenant, tokenFor, type Tenant } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { makeRingGroup, storedMembers } from '#tests/functional/ring_groups/support'
import {
  startFencedWriter,
  type FencedWriter,
} from '#tests/reliability/support/fenced_writer_process'
import { fenceKey, withFencedLock } from '#services/locks/lock_service'
import { ringGroupLockKey } from '#services/ring_groups/ring_group_lock'
import RingGroupDirectory from '#services/ring_groups/ring_group_directory'
import ApiException from '#exceptions/api_exception'

/*
 * Lock safety (R19, Kleppmann's scenario): a writer holding a ring group's Redis lock is
 * frozen past the lock's TTL, another writer takes the lock and writes, the first wakes up
 * and writes too. Its write must be refused by the fencing token stored on the row, and the
 * row must keep the second writer's change: 0 lost updates.
 */

const TTL_MS = 1000

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const system = {
  organizationId: null as number | null,
  actorUserId: null,
  impersonatorStaffId: null,
  ip: '127.0.0.1',
  userAgent: 'lock_fencing.spec',
  requestId: null,
}

test.group('Reliability: lock fencing', (group) => {
  let tenant: Tenant | undefined

  group.each.setup(async () => {
    await redis.flushdb()
  })
  group.each.teardown(async () => {
    if (!tenant) return
    const org = tenant.organization.id
    for (const table of ['ring_group_members', 'ring_groups', 'extensions', 'audit_logs', 'users'])
      await db.from(table).where('organization_id', org).delete()
    await db.from('organizations').where('id', org).delete()
    tenant = undefined
  })

  test('a writer frozen past its lock TTL is refused once it wakes; the next writer keeps its change', async ({
    client,
    assert,
    cleanup,
  }) => {
    tenant = await createTenant()
    const [a, b, c] = [
      await makeExtension(tenant.organization),
      await makeExtension(tenant.organization),
      await makeExtension(tenant.organization),
    ]
    const ringGroup = await makeRingGroup(tenant.organization, [a], { name: 'Original' })
    const token = await tokenFor(tenant.owner)

    const writer: FencedWriter = await startFencedWriter(process.env, ringGroup, TTL_MS)
    cleanup(() => writer.close())
    writer.send('lock')
    const locked = await writer.next()
    assert.equal(locked.event, 'locked', JSON.stringify(locked))
    writer.freeze()
    // Its next command waits in the pipe: it only acts on it once thawed.
    writer.send(
      `write ${JSON.stringify({ name: 'Stale', members: [{ extensionId: b.id, priority: 1 }] })}`,
    )
    await until('the frozen writer’s lock to expire', async () => {
      return (await redis.exists(ringGroupLockKey(ringGroup.id))) === 0
    })

    const second = await client
      .patch(`/api/v1/ring-groups/${ringGroup.id}`)
      .bearerToken(token)
      .json({ name: 'Second', members: [{ extensionId: c.id, priority: 1 }] })
    second.assertStatus(200)

    writer.thaw()
    const outcome = await writer.next()
    assert.deepInclude(outcome, { event: 'rejected', status: 409, code: 'E_STALE_LOCK' })

    await ringGroup.refresh()
    assert.equal(ringGroup.name, 'Second')
    assert.deepEqual(await storedMembers(ringGroup.id), [[c.id, 1]])
    assert.isAbove(ringGroup.fenceToken, locked.token!)
    const updates = await db
      .from('audit_logs')
      .where('subject_type', 'ring_group')
      .where('subject_id', String(ringGroup.id))
      .where('action', 'ring_group.updated')
      .select('after')
    assert.lengthOf(updates, 1, 'only the second writer’s update is audited')
    assert.equal(updates[0].after.name, 'Second')
  }).timeout(60_000)

  test('a stale token writes nothing: no row change, no members, no audit', async ({ assert }) => {
    tenant = await createTenant()
    const [a, b] = [
      await makeExtension(tenant.organization),
      await makeExtension(tenant.organization),
    ]
    const ringGroup = await makeRingGroup(tenant.organization, [a], { name: 'Kept' })
    await db.from('ring_groups').where('id', ringGroup.id).update({ fence_token: 500 })
    const directory = new RingGroupDirectory()
    const actor = { ...system, organizationId: tenant.organization.id }
    const input = { name: 'Lost', members: [{ extensionId: b.id, priority: 1 }] }

    const error = await directory.write(ringGroup, input, actor, 499).catch((e) => e)
    assert.instanceOf(error, ApiException)
    assert.equal(error.status, 409)
    assert.equal(error.code, 'E_STALE_LOCK')
    await ringGroup.refresh()
    assert.equal(ringGroup.name, 'Kept')
    assert.equal(ringGroup.fenceToken, 500)
    assert.deepEqual(await storedMembers(ringGroup.id), [[a.id, 1]])
    const audits = await db.from('audit_logs').where('subject_id', String(ringGroup.id))
    assert.lengthOf(audits, 0)

    // The same holder writing again (equal token) and a newer one are both accepted.
    await directory.write(ringGroup, { name: 'Same holder' }, actor, 500)
    await directory.write(ringGroup, input, actor, 501)
    await ringGroup.refresh()
    assert.equal(ringGroup.name, 'Lost')
    assert.equal(ringGroup.fenceToken, 501)
  })

  test('deletes and restores are fenced too', async ({ client, assert }) => {
    tenant = await createTenant()
    const ringGroup = await makeRingGroup(tenant.organization, [
      await makeExtension(tenant.organization),
    ])
    const token = await tokenFor(tenant.owner)
    // A newer holder's token on the row: anything the lock hands out now is older.
    const newer = Number.MAX_SAFE_INTEGER
    await db.from('ring_groups').where('id', ringGroup.id).update({ fence_token: newer })

    const deleted = await client.delete(`/api/v1/ring-groups/${ringGroup.id}`).bearerToken(token)
    deleted.assertStatus(409)
    assert.equal(deleted.body().error.code, 'E_STALE_LOCK')
    await ringGroup.refresh()
    assert.isNull(ringGroup.deletedAt)

    await db.from('ring_groups').where('id', ringGroup.id).update({ fence_token: 0 })
    ;(await client.delete(`/api/v1/ring-groups/${ringGroup.id}`).bearerToken(token)).assertStatus(
      204,
    )
    await db.from('ring_groups').where('id', ringGroup.id).update({ fence_token: newer })
    const restored = await client
      .post(`/api/v1/ring-groups/${ringGroup.id}/restore`)
      .bearerToken(token)
    restored.assertStatus(409)
    assert.equal(restored.body().error.code, 'E_STALE_LOCK')
    await ringGroup.refresh()
    assert.isNotNull(ringGroup.deletedAt)
    const audits = await db
      .from('audit_logs')
      .where('subject_id', String(ringGroup.id))
      .select('action')
    assert.deepEqual(
      audits.map((row) => row.action),
      ['ring_group.deleted'],
    )
  })

  test('tokens only grow, even when Redis loses the fence counter', async ({ assert }) => {
    const key = 'lock:fencing-spec'
    const tokens: number[] = []
    for (let i = 0; i < 3; i++) await withFencedLock(key, 'thing', async (t) => tokens.push(t))
    await redis.del(fenceKey(key))
    await withFencedLock(key, 'thing', async (t) => tokens.push(t))
    assert.isTrue(
      tokens.every((t, i) => i === 0 || t > tokens[i - 1]),
      tokens.join(' < '),
    )
    assert.isAbove(tokens[0], Date.UTC(2020, 0) * 1000, 'seeded from the clock in µs')
    assert.isTrue(Number.isSafeInteger(tokens[3]))
    assert.isAbove(await redis.pttl(fenceKey(key)), 0, 'the counter expires when unused')
    assert.equal(await redis.exists(key), 0, 'the lock itself is released')
    await redis.del(fenceKey(key))
  })
})
