import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import config from '@adonisjs/core/services/config'
import { createTenant, tokenFor, type Tenant } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { makeRingGroup, storedMembers } from '#tests/functional/ring_groups/support'
import { acquireLock } from '#services/locks/lock_service'
import { ringGroupLockKey } from '#services/ring_groups/ring_group_lock'
import type { LockConfig } from '#config/lock'
import type Extension from '#models/extension'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/*
 * Runs outside the per-test transaction on purpose: each request gets its own connection,
 * so the requests really overlap and only the lock (and the transaction) keep member lists
 * from interleaving. The test holds the lock when the first requests arrive and lets go at
 * the first answer, so some requests are refused (409) and later ones get through (200).
 */
test.group('Ring groups: concurrent member list updates', (group) => {
  let tenant: Tenant | undefined

  group.each.teardown(async () => {
    if (!tenant) return
    const org = tenant.organization.id
    const users = [tenant.owner, tenant.admin, tenant.user, tenant.reporter].map((u) => u.id)
    await db.from('ring_group_members').where('organization_id', org).delete()
    await db.from('ring_groups').where('organization_id', org).delete()
    await db.from('extensions').where('organization_id', org).delete()
    await db.from('audit_logs').where('organization_id', org).delete()
    await db.from('users').whereIn('id', users).delete()
    await db.from('organizations').where('id', org).delete()
  })

  test('each update succeeds whole or answers 409 E_RESOURCE_LOCKED; no torn list', async ({
    client,
    assert,
    cleanup,
  }) => {
    const original = config.get<LockConfig>('lock')
    config.set('lock', { ...original, retryCount: 4, retryDelayMs: 50, retryJitterMs: 10 })
    cleanup(() => config.set('lock', original))
    tenant = await createTenant()
    const extensions: Extension[] = []
    for (let i = 0; i < 12; i++) extensions.push(await makeExtension(tenant.organization))
    const ringGroup = await makeRingGroup(tenant.organization, extensions.slice(0, 2))
    const token = await tokenFor(tenant.owner)
    const lists = Array.from({ length: 10 }, (_, i) =>
      [i, (i + 3) % 12, (i + 7) % 12].map((e, position) => ({
        extensionId: extensions[e].id,
        priority: 10 * (position + 1) + i,
      })),
    )

    const lock = await acquireLock(ringGroupLockKey(ringGroup.id), 5000)
    let released = false
    const release = async () => {
      if (released) return
      released = true
      await lock.release().catch(() => {})
    }
    cleanup(release)
    const responses = await Promise.all(
      lists.map(async (members, i) => {
        await sleep(i * 40)
        const response = await client
          .patch(`/api/v1/ring-groups/${ringGroup.id}`)
          .bearerToken(token)
          .json({ members })
        await release()
        return response
      }),
    )

    const statuses = responses.map((r) => r.status())
    for (const response of responses) {
      assert.include([200, 409], response.status(), response.text())
      if (response.status() === 409) assert.equal(response.body().error.code, 'E_RESOURCE_LOCKED')
    }
    assert.include(statuses, 200)
    assert.include(statuses, 409)
    const stored = await storedMembers(ringGroup.id)
    const winners = lists.filter((_, i) => statuses[i] === 200)
    assert.isTrue(
      winners.some(
        (list) =>
          JSON.stringify(list.map((m) => [m.extensionId, m.priority])) === JSON.stringify(stored),
      ),
      `torn or unexpected list ${JSON.stringify(stored)}`,
    )
    const audits = await db
      .from('audit_logs')
      .where('action', 'ring_group.updated')
      .where('subject_id', String(ringGroup.id))
      .count('* as n')
      .first()
    assert.equal(Number(audits.n), winners.length)
  })
})
