import { test } from '@japa/runner'
import config from '@adonisjs/core/services/config'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { makeRingGroup, storedMembers } from '#tests/functional/ring_groups/support'
import { acquireLock } from '#services/locks/lock_service'
import { readRingGroupForRouting, ringGroupLockKey } from '#services/ring_groups/ring_group_lock'
import type { LockConfig } from '#config/lock'

/* A short budget (3 retries × 20 ms) so a held lock answers 409 quickly. */
function shortBudget(cleanup: (fn: () => void) => void) {
  const original = config.get<LockConfig>('lock')
  config.set('lock', { ...original, retryCount: 3, retryDelayMs: 20, retryJitterMs: 0 })
  cleanup(() => config.set('lock', original))
}

test.group('Ring groups: the edit lock', (group) => {
  isolate(group)

  test('update and delete answer 409 E_RESOURCE_LOCKED with a retry hint while the lock is held', async ({
    client,
    assert,
    cleanup,
  }) => {
    shortBudget(cleanup)
    const { owner, organization } = await createTenant()
    const [a, b] = [await makeExtension(organization), await makeExtension(organization)]
    const ringGroup = await makeRingGroup(organization, [a], { name: 'Sales' })
    const lock = await acquireLock(ringGroupLockKey(ringGroup.id), 5000)
    cleanup(async () => {
      await lock.release().catch(() => {})
    })
    const token = await tokenFor(owner)

    const patched = await client
      .patch(`/api/v1/ring-groups/${ringGroup.id}`)
      .bearerToken(token)
      .json({ name: 'Renamed', members: [{ extensionId: b.id, priority: 1 }] })
    patched.assertStatus(409)
    assert.equal(patched.body().error.code, 'E_RESOURCE_LOCKED')
    const retryAfterMs = patched.body().error.details.retryAfterMs
    assert.isAbove(retryAfterMs, 4000)
    assert.isAtMost(retryAfterMs, 5000)
    assert.equal(patched.header('retry-after'), '5')

    const deleted = await client.delete(`/api/v1/ring-groups/${ringGroup.id}`).bearerToken(token)
    deleted.assertStatus(409)
    assert.equal(deleted.body().error.code, 'E_RESOURCE_LOCKED')

    await lock.release()
    assert.deepEqual(await storedMembers(ringGroup.id), [[a.id, 1]])
    await ringGroup.refresh()
    assert.equal(ringGroup.name, 'Sales')
    assert.isNull(ringGroup.deletedAt)
    const after = await client
      .patch(`/api/v1/ring-groups/${ringGroup.id}`)
      .bearerToken(token)
      .json({ members: [{ extensionId: b.id, priority: 1 }] })
    after.assertStatus(200)
  })

  test('an update waits for a lock released within the budget', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const [a, b] = [await makeExtension(organization), await makeExtension(organization)]
    const ringGroup = await makeRingGroup(organization, [a])
    const lock = await acquireLock(ringGroupLockKey(ringGroup.id), 5000)
    setTimeout(() => lock.release(), 150)
    const response = await client
      .patch(`/api/v1/ring-groups/${ringGroup.id}`)
      .bearerToken(await tokenFor(owner))
      .json({ members: [{ extensionId: b.id, priority: 1 }] })
    response.assertStatus(200)
    assert.deepEqual(await storedMembers(ringGroup.id), [[b.id, 1]])
  })

  test('the routing read returns the live group with its ringable members in order', async ({
    assert,
    cleanup,
  }) => {
    const { organization } = await createTenant()
    const other = await createTenant()
    const first = await makeExtension(organization)
    const second = await makeExtension(organization)
    const away = await makeExtension(organization)
    const retyped = await makeExtension(organization)
    const ringGroup = await makeRingGroup(organization, [second, away, retyped, first])
    await away.merge({ status: 'inactive' }).save()
    await retyped.merge({ type: 'forward' }).save()

    const read = await readRingGroupForRouting(organization.id, ringGroup.id)
    assert.deepEqual(
      read!.members.map((m) => m.extensionId),
      [second.id, first.id],
    )
    assert.equal(read!.members[0].extension.number, second.number)
    assert.equal(await read!.activeMemberCount(), 2)
    assert.isNull(await readRingGroupForRouting(other.organization.id, ringGroup.id))

    shortBudget(cleanup)
    const lock = await acquireLock(ringGroupLockKey(ringGroup.id), 5000)
    cleanup(async () => {
      await lock.release().catch(() => {})
    })
    await assert.rejects(() => readRingGroupForRouting(organization.id, ringGroup.id))
  })
})
