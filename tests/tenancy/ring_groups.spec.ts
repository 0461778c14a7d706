import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { assertEachNotFound } from '#tests/tenancy/support'
import { makeExtension } from '#tests/functional/extensions/support'
import { fieldsOf, makeRingGroup } from '#tests/functional/ring_groups/support'

/*
 * Organization A's owner addresses organization B's ring groups on every endpoint: always
 * 404, never 403 or data, and B's rows stay untouched. B's extensions and groups cannot be
 * used as A's members or fallback targets either.
 */
test.group('Tenancy: ring groups', (group) => {
  isolate(group)

  test("every endpoint answers 404 for another organization's ids", async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    const bMember = await makeExtension(b.organization)
    const ringGroup = await makeRingGroup(b.organization, [bMember], { name: 'B secret group' })
    const binned = await makeRingGroup(b.organization, [bMember], { name: 'B binned' })
    await binned.merge({ deletedAt: binned.createdAt }).save()
    const aMember = await makeExtension(a.organization)
    const members = [{ extensionId: aMember.id, priority: 1 }]
    const token = await tokenFor(a.owner)
    const requests = [
      client.get(`/api/v1/ring-groups/${ringGroup.id}`),
      client.patch(`/api/v1/ring-groups/${ringGroup.id}`).json({ name: 'Hijacked', members }),
      client.put(`/api/v1/ring-groups/${ringGroup.id}`).json({ name: 'Hijacked', members }),
      client.delete(`/api/v1/ring-groups/${ringGroup.id}`),
      client.post(`/api/v1/ring-groups/${binned.id}/restore`),
    ]
    await assertEachNotFound(assert, requests, token, ['B secret group'])
    const row = await db.from('ring_groups').where('id', ringGroup.id).firstOrFail()
    assert.equal(row.name, 'B secret group')
    assert.isNull(row.deleted_at)
    const memberRows = await db.from('ring_group_members').where('ring_group_id', ringGroup.id)
    assert.deepEqual(
      memberRows.map((m) => m.extension_id),
      [bMember.id],
    )
    const stillBinned = await db.from('ring_groups').where('id', binned.id).firstOrFail()
    assert.isNotNull(stillBinned.deleted_at)
  })

  test("lists never include another organization's rows", async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    const mine = await makeRingGroup(a.organization, [await makeExtension(a.organization)])
    await makeRingGroup(b.organization, [await makeExtension(b.organization)], {
      name: 'B secret group',
    })
    const token = await tokenFor(a.owner)
    for (const qs of [{}, { trashed: 'with' }, { search: 'secret' }]) {
      const response = await client.get('/api/v1/ring-groups').qs(qs).bearerToken(token)
      response.assertStatus(200)
      assert.notInclude(response.text(), 'B secret group')
      for (const row of response.body().data) assert.equal(row.id, mine.id)
    }
  })

  test("another organization's extensions and groups are not valid members or fallbacks", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const bExtension = await makeExtension(b.organization)
    const bGroup = await makeRingGroup(b.organization, [bExtension])
    const aMember = await makeExtension(a.organization)
    const token = await tokenFor(a.owner)
    const attempts = [
      { name: 'Foreign member', members: [{ extensionId: bExtension.id, priority: 1 }] },
      {
        name: 'Foreign fallback',
        fallbackAction: 'ring_group',
        fallbackTargetId: bGroup.id,
        members: [{ extensionId: aMember.id, priority: 1 }],
      },
      {
        name: 'Foreign voicemail',
        fallbackAction: 'voicemail',
        fallbackTargetId: bExtension.id,
        members: [{ extensionId: aMember.id, priority: 1 }],
      },
    ]
    const expected = [['members.0.extensionId'], ['fallbackTargetId'], ['fallbackTargetId']]
    for (const [i, body] of attempts.entries()) {
      const response = await client.post('/api/v1/ring-groups').bearerToken(token).json(body)
      response.assertStatus(422)
      assert.deepEqual(fieldsOf(response.body()), expected[i])
    }
  })
})
