import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { assertEachNotFound, assertListHoldsOnly } from '#tests/tenancy/support'
import { makeRecording } from '#tests/functional/recordings/helpers'

test.group('Tenancy: recordings endpoints', (group) => {
  isolate(group)

  test("every recording endpoint answers 404 for another organization's recording", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const token = await tokenFor(a.owner)
    const live = await makeRecording(b.organization, {
      name: 'B private prompt',
      kind: 'upload',
      remoteUrl: null,
      storageKey: `${b.organization.id}/prompts/00000000-0000-0000-0000-000000000000.wav`,
      mimeType: 'audio/wav',
    })
    const trashed = await makeRecording(b.organization, { deletedAt: live.createdAt })

    const requests = [
      client.get(`/api/v1/recordings/${live.id}`),
      client.get(`/api/v1/recordings/${live.id}/url`),
      client.patch(`/api/v1/recordings/${live.id}`).json({ name: 'Hijacked' }),
      client.put(`/api/v1/recordings/${live.id}`).json({ status: 'inactive' }),
      client.delete(`/api/v1/recordings/${live.id}`),
      client.post(`/api/v1/recordings/${trashed.id}/restore`),
    ]
    await assertEachNotFound(assert, requests, token, ['B private prompt', '/files/'])
    const [row, gone] = await Promise.all([
      db.from('recordings').where('id', live.id).firstOrFail(),
      db.from('recordings').where('id', trashed.id).firstOrFail(),
    ])
    assert.equal(row.name, 'B private prompt')
    assert.equal(row.status, 'active')
    assert.isNull(row.deleted_at)
    assert.isNotNull(gone.deleted_at)
  })

  test("lists never include another organization's recordings", async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    const mine = await makeRecording(a.organization)
    await makeRecording(b.organization, { name: 'Foreign prompt' })
    await makeRecording(b.organization, { name: 'Foreign trashed', deletedAt: mine.createdAt })
    const token = await tokenFor(a.user)

    await assertListHoldsOnly(client, assert, '/api/v1/recordings', token, [mine.id])
  })

  test("a client-supplied organizationId is ignored: rows land in the caller's organization", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const response = await client
      .post('/api/v1/recordings')
      .bearerToken(await tokenFor(a.owner))
      .json({ name: 'Mine', remoteUrl: 'https://93.184.216.34/x.wav', organizationId: 999999 })
    response.assertStatus(201)
    assert.equal(response.body().data.organizationId, a.organization.id)
  })
})
