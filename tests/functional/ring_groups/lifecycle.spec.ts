import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { makeRingGroup, storedMembers } from '#tests/functional/ring_groups/support'

test.group('Ring groups: soft delete and restore', (group) => {
  isolate(group)

  test('deletes softly, hides the group, and restores it with its members', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const member = await makeExtension(organization)
    const ringGroup = await makeRingGroup(organization, [member], { name: 'Sales' })
    const token = await tokenFor(owner)

    ;(await client.delete(`/api/v1/ring-groups/${ringGroup.id}`).bearerToken(token)).assertStatus(
      204,
    )
    const row = await db.from('ring_groups').where('id', ringGroup.id).firstOrFail()
    assert.isNotNull(row.deleted_at)
    ;(await client.get(`/api/v1/ring-groups/${ringGroup.id}`).bearerToken(token)).assertStatus(404)
    const list = await client.get('/api/v1/ring-groups').bearerToken(token)
    assert.lengthOf(list.body().data, 0)
    const trashed = await client
      .get('/api/v1/ring-groups')
      .qs({ trashed: 'only' })
      .bearerToken(token)
    assert.deepEqual(
      trashed.body().data.map((g: { id: number }) => g.id),
      [ringGroup.id],
    )
    ;(
      await client.post(`/api/v1/ring-groups/${ringGroup.id}/restore`).bearerToken(token)
    ).assertStatus(200)
    ;(await client.get(`/api/v1/ring-groups/${ringGroup.id}`).bearerToken(token)).assertStatus(200)
    assert.deepEqual(await storedMembers(ringGroup.id), [[member.id, 1]])
    const actions = await AuditLog.query()
      .where('subject_type', 'ring_group')
      .where('subject_id', String(ringGroup.id))
      .orderBy('id')
    assert.deepEqual(
      actions.map((a) => a.action),
      ['ring_group.deleted', 'ring_group.restored'],
    )
    const live = await client.post(`/api/v1/ring-groups/${ringGroup.id}/restore`).bearerToken(token)
    live.assertStatus(404)
  })

  test('restore answers 409 when the name was reused or a member extension is gone', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const member = await makeExtension(organization)
    const leaver = await makeExtension(organization)
    const renamed = await makeRingGroup(organization, [member], { name: 'Sales' })
    await renamed.merge({ deletedAt: renamed.createdAt }).save()
    await makeRingGroup(organization, [member], { name: 'sales' })
    const orphaned = await makeRingGroup(organization, [leaver], { name: 'Night' })
    await orphaned.merge({ deletedAt: orphaned.createdAt }).save()
    await leaver.merge({ deletedAt: leaver.createdAt }).save()
    const token = await tokenFor(owner)

    const clash = await client.post(`/api/v1/ring-groups/${renamed.id}/restore`).bearerToken(token)
    clash.assertStatus(409)
    assert.equal(clash.body().error.code, 'E_CONFLICT')
    const gone = await client.post(`/api/v1/ring-groups/${orphaned.id}/restore`).bearerToken(token)
    gone.assertStatus(409)
    assert.deepEqual(gone.body().error.details.extensionIds, [leaver.id])
    const rows = await db.from('ring_groups').whereIn('id', [renamed.id, orphaned.id])
    for (const row of rows) assert.isNotNull(row.deleted_at)
  })
})

test.group('Ring groups: list', (group) => {
  isolate(group)

  test('filters by status and strategy, searches names, sorts and paginates', async ({
    client,
    assert,
  }) => {
    const { reporter, organization } = await createTenant()
    const member = await makeExtension(organization)
    await makeRingGroup(organization, [member], { name: 'Billing', strategy: 'sequential' })
    await makeRingGroup(organization, [member], { name: 'Accounts', status: 'inactive' })
    await makeRingGroup(organization, [member], { name: 'Sales 100%', strategy: 'round_robin' })
    const token = await tokenFor(reporter)
    const names = async (qs: Record<string, unknown>) => {
      const response = await client.get('/api/v1/ring-groups').qs(qs).bearerToken(token)
      response.assertStatus(200)
      return response.body().data.map((g: { name: string }) => g.name)
    }

    assert.deepEqual(await names({}), ['Accounts', 'Billing', 'Sales 100%'])
    assert.deepEqual(await names({ sort: '-name' }), ['Sales 100%', 'Billing', 'Accounts'])
    assert.deepEqual(await names({ status: 'inactive' }), ['Accounts'])
    assert.deepEqual(await names({ strategy: 'sequential' }), ['Billing'])
    assert.deepEqual(await names({ search: '100%' }), ['Sales 100%'])
    assert.deepEqual(await names({ search: 'LL' }), ['Billing'])
    const page = await client
      .get('/api/v1/ring-groups')
      .qs({ perPage: 2, page: 2, sort: 'created_at' })
      .bearerToken(token)
    assert.deepEqual(page.body().meta, { total: 3, perPage: 2, page: 2, lastPage: 2 })
    assert.deepEqual(
      page.body().data.map((g: { name: string }) => g.name),
      ['Sales 100%'],
    )
    assert.lengthOf(page.body().data[0].members, 1)
  })

  test('answers 422 for an unknown sort or filter value', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    const response = await client
      .get('/api/v1/ring-groups')
      .qs({ sort: 'timeout', strategy: 'random', perPage: 500 })
      .bearerToken(token)
    response.assertStatus(422)
    assert.sameMembers(
      response.body().error.details.fields.map((f: { field: string }) => f.field),
      ['sort', 'strategy', 'perPage'],
    )
  })
})

test.group('Ring groups: restore checks the fallback target', (group) => {
  isolate(group)

  test('answers 409 when the fallback target was deleted while the group was in the bin', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const member = await makeExtension(organization)
    const operator = await makeExtension(organization)
    const ringGroup = await makeRingGroup(organization, [member], {
      fallbackAction: 'extension',
      fallbackExtensionId: operator.id,
    })
    await ringGroup.merge({ deletedAt: ringGroup.createdAt }).save()
    await operator.merge({ deletedAt: operator.createdAt }).save()
    const token = await tokenFor(owner)
    const response = await client
      .post(`/api/v1/ring-groups/${ringGroup.id}/restore`)
      .bearerToken(token)
    response.assertStatus(409)
    assert.equal(response.body().error.code, 'E_CONFLICT')
    await operator.merge({ deletedAt: null }).save()
    const restored = await client
      .post(`/api/v1/ring-groups/${ringGroup.id}/restore`)
      .bearerToken(token)
    restored.assertStatus(200)
    assert.deepInclude(restored.body().data, {
      fallbackAction: 'extension',
      fallbackTargetId: operator.id,
    })
  })
})
