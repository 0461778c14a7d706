import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import references from '#services/references/reference_registry'
import storage from '#services/storage/storage'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeRecording, removeStored, wavFile } from '#tests/functional/recordings/helpers'

test.group('Recordings API', (group) => {
  isolate(group)

  test('shows and updates name and status, audited with who changed it', async ({
    client,
    assert,
  }) => {
    const { admin, reporter, organization } = await createTenant()
    const recording = await makeRecording(organization, { name: 'Old name' })
    const shown = await client
      .get(`/api/v1/recordings/${recording.id}`)
      .bearerToken(await tokenFor(reporter))
    shown.assertStatus(200)
    assert.equal(shown.body().data.name, 'Old name')

    const token = await tokenFor(admin)
    const updated = await client
      .patch(`/api/v1/recordings/${recording.id}`)
      .bearerToken(token)
      .json({ name: 'New name', status: 'inactive' })
    updated.assertStatus(200)
    assert.containsSubset(updated.body().data, {
      name: 'New name',
      status: 'inactive',
      updatedBy: admin.id,
    })
    const audit = await AuditLog.query()
      .where('action', 'recording.updated')
      .where('subject_id', String(recording.id))
      .firstOrFail()
    assert.equal((audit.before as { name: string }).name, 'Old name')
    assert.equal((audit.after as { name: string }).name, 'New name')

    for (const body of [{ name: '' }, { status: 'deleted' }, { name: 'x'.repeat(121) }]) {
      const bad = await client
        .put(`/api/v1/recordings/${recording.id}`)
        .bearerToken(token)
        .json(body)
      bad.assertStatus(422)
      assert.equal(bad.body().error.details.fields[0].field, Object.keys(body)[0])
    }
  })

  test('soft-deletes keeping the file, and restores', async ({ client, assert, cleanup }) => {
    const { owner, organization } = await createTenant()
    cleanup(() => removeStored(organization.id))
    const token = await tokenFor(owner)
    const created = await client
      .post('/api/v1/recordings')
      .bearerToken(token)
      .field('name', 'Greeting')
      .file('file', wavFile(0.2), { filename: 'greeting.wav' })
    const id = created.body().data.id
    const { storage_key: key } = await db.from('recordings').where('id', id).firstOrFail()

    ;(await client.delete(`/api/v1/recordings/${id}`).bearerToken(token)).assertStatus(204)
    ;(await client.get(`/api/v1/recordings/${id}`).bearerToken(token)).assertStatus(404)
    ;(await client.get(`/api/v1/recordings/${id}/url`).bearerToken(token)).assertStatus(404)
    assert.isNotNull(await storage.size(key))
    const trashed = await client
      .get('/api/v1/recordings')
      .qs({ trashed: 'only' })
      .bearerToken(token)
    assert.deepEqual(
      trashed.body().data.map((r: { id: number }) => r.id),
      [id],
    )

    const restored = await client.post(`/api/v1/recordings/${id}/restore`).bearerToken(token)
    restored.assertStatus(200)
    assert.isNull(restored.body().data.deletedAt)
    ;(await client.get(`/api/v1/recordings/${id}/url`).bearerToken(token)).assertStatus(200)
    ;(await client.post(`/api/v1/recordings/${id}/restore`).bearerToken(token)).assertStatus(404)
    assert.sameMembers(
      (await AuditLog.query().where('subject_id', String(id))).map((a) => a.action),
      ['recording.created', 'recording.deleted', 'recording.restored'],
    )
  })

  test('a recording still played by an IVR cannot be deleted: 409', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const recording = await makeRecording(organization)
    references.register('recording', async (organizationId, id) =>
      organizationId === organization.id && id === recording.id
        ? [{ type: 'ivr_menu', id: 3, name: 'Main menu' }]
        : [],
    )
    const response = await client
      .delete(`/api/v1/recordings/${recording.id}`)
      .bearerToken(await tokenFor(owner))
    response.assertStatus(409)
    assert.equal(response.body().error.code, 'E_RESOURCE_IN_USE')
    assert.include(response.body().error.message, 'Main menu')
    const raw = await db.from('recordings').where('id', recording.id).firstOrFail()
    assert.isNull(raw.deleted_at)
  })

  test('lists with pagination, kind and status filters, search and sort', async ({
    client,
    assert,
  }) => {
    const { user, organization } = await createTenant()
    await makeRecording(organization, { name: 'Bravo', kind: 'upload', size: 300 })
    await makeRecording(organization, { name: 'Alpha', kind: 'upload', size: 900 })
    await makeRecording(organization, { name: 'Charlie', status: 'inactive' })
    const token = await tokenFor(user)
    const list = (qs: Record<string, unknown>) =>
      client.get('/api/v1/recordings').qs(qs).bearerToken(token)
    const names = (r: { body(): { data: { name: string }[] } }) =>
      r.body().data.map((row) => row.name)

    assert.deepEqual(names(await list({})), ['Alpha', 'Bravo', 'Charlie'])
    assert.deepEqual(names(await list({ sort: '-name' })), ['Charlie', 'Bravo', 'Alpha'])
    assert.deepEqual(names(await list({ kind: 'upload', sort: 'size' })), ['Bravo', 'Alpha'])
    assert.deepEqual(names(await list({ kind: 'remote' })), ['Charlie'])
    assert.deepEqual(names(await list({ status: 'inactive' })), ['Charlie'])
    assert.deepEqual(names(await list({ search: 'RAV' })), ['Bravo'])
    assert.deepEqual(names(await list({ search: '%' })), [])
    const paged = await list({ perPage: 1, page: 3 })
    assert.deepEqual(names(paged), ['Charlie'])
    assert.deepInclude(paged.body().meta, { total: 3, perPage: 1, page: 3, lastPage: 3 })

    for (const qs of [{ sort: 'storage_key' }, { kind: 'stream' }, { page: 0 }]) {
      const bad = await list(qs)
      bad.assertStatus(422)
      assert.equal(bad.body().error.code, 'E_VALIDATION_ERROR')
    }
  })
})
