import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { assertEachNotFound, assertListHoldsOnly } from '#tests/tenancy/support'
import { makeRoom } from '#tests/functional/conference_rooms/helpers'

test.group('Tenancy: conference rooms endpoints', (group) => {
  isolate(group)

  test("every conference room endpoint answers 404 for another organization's room", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const token = await tokenFor(a.owner)
    const live = await makeRoom(b.organization, { name: 'B secret room', pin: '5150' })
    const trashed = await makeRoom(b.organization, { deletedAt: live.createdAt })

    const requests = [
      client.get(`/api/v1/conference-rooms/${live.id}`),
      client.patch(`/api/v1/conference-rooms/${live.id}`).json({ name: 'Hijacked' }),
      client.put(`/api/v1/conference-rooms/${live.id}`).json({ pin: '0000' }),
      client.delete(`/api/v1/conference-rooms/${live.id}`),
      client.post(`/api/v1/conference-rooms/${trashed.id}/restore`),
    ]
    await assertEachNotFound(assert, requests, token, ['B secret room'])
    const [row, gone] = await Promise.all([
      db.from('conference_rooms').where('id', live.id).firstOrFail(),
      db.from('conference_rooms').where('id', trashed.id).firstOrFail(),
    ])
    assert.equal(row.name, 'B secret room')
    assert.isNull(row.deleted_at)
    assert.isNotNull(gone.deleted_at)
  })

  test("lists never include another organization's rooms", async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    const mine = await makeRoom(a.organization)
    await makeRoom(b.organization, { name: 'Foreign room' })
    await makeRoom(b.organization, { name: 'Foreign trashed', deletedAt: mine.createdAt })
    const token = await tokenFor(a.reporter)

    await assertListHoldsOnly(client, assert, '/api/v1/conference-rooms', token, [mine.id])
  })
})
