import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { assertEachNotFound } from '#tests/tenancy/support'
import { makeConferenceRoom, makeExtension } from '#tests/functional/extensions/support'

/*
 * Organization A's owner (every right inside A) addresses organization B's extensions on
 * every endpoint: always 404, never 403 or data, and B's rows stay untouched.
 */
test.group('Tenancy: extensions endpoints', (group) => {
  isolate(group)

  test("every extensions endpoint answers 404 for another organization's extension", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const foreign = await makeExtension(b.organization, { number: '777', userId: b.user.id })
    const trashed = await makeExtension(b.organization, { number: '778' })
    await trashed.merge({ deletedAt: trashed.createdAt }).save()
    const token = await tokenFor(a.owner)
    const id = foreign.id
    const before = await db.from('extensions').where('id', id).firstOrFail()
    const requests = [
      client.get(`/api/v1/extensions/${id}`),
      client.patch(`/api/v1/extensions/${id}`).json({ name: 'Hijacked' }),
      client.delete(`/api/v1/extensions/${id}`),
      client.post(`/api/v1/extensions/${trashed.id}/restore`),
      client.post(`/api/v1/extensions/${id}/sip-password`),
      client.put(`/api/v1/extensions/${id}/dnd`),
      client.delete(`/api/v1/extensions/${id}/dnd`),
      client.put(`/api/v1/extensions/${id}/forwarding`).json({ always: { enabled: false } }),
      client.put(`/api/v1/extensions/${id}/follow-me`).json({ enabled: false, numbers: [] }),
    ]
    await assertEachNotFound(assert, requests, token, [foreign.name])
    const raw = await db.from('extensions').where('id', id).firstOrFail()
    assert.equal(raw.name, foreign.name)
    assert.isFalse(raw.dnd_enabled)
    assert.isNull(raw.deleted_at)
    assert.equal(raw.sip_password, before.sip_password)
    assert.deepEqual(raw.forwarding, before.forwarding)
    const trashedRaw = await db.from('extensions').where('id', trashed.id).firstOrFail()
    assert.isNotNull(trashedRaw.deleted_at)
  })

  test("lists and search never include another organization's extensions", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const own = await makeExtension(a.organization, { number: '101' })
    const foreign = await makeExtension(b.organization, { number: '102', name: 'Secret B' })
    const token = await tokenFor(a.reporter)
    const all = await client
      .get('/api/v1/extensions')
      .qs({ perPage: 100, trashed: 'with' })
      .bearerToken(token)
    assert.deepEqual(
      all.body().data.map((e: { id: number }) => e.id),
      [own.id],
    )
    const search = await client
      .get('/api/v1/extensions')
      .qs({ search: 'Secret' })
      .bearerToken(token)
    assert.lengthOf(search.body().data, 0)
    const byUser = await client
      .get('/api/v1/extensions')
      .qs({ userId: b.user.id })
      .bearerToken(token)
    assert.lengthOf(byUser.body().data, 0)
    assert.notEqual(foreign.organizationId, a.organization.id)
  })

  test("another organization's ids are refused inside a configuration or assignment", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const foreignRoom = await makeConferenceRoom(b.organization)
    await makeExtension(b.organization, { number: '303' })
    const token = await tokenFor(a.owner)
    const bodies: [Record<string, unknown>, string][] = [
      [
        { type: 'conference', configuration: { conference_room_id: foreignRoom } },
        'configuration.conference_room_id',
      ],
      [{ type: 'user', userId: b.user.id }, 'userId'],
      [{ type: 'forward', configuration: { forward_to: '303' } }, 'configuration.forward_to'],
    ]
    for (const [body, field] of bodies) {
      const response = await client
        .post('/api/v1/extensions')
        .bearerToken(token)
        .json({ number: '404', name: 'X', ...body })
      response.assertStatus(422)
      assert.equal(response.body().error.details.fields[0].field, field)
    }
    const own = await makeExtension(a.organization, { number: '405' })
    const forwarding = await client
      .put(`/api/v1/extensions/${own.id}/forwarding`)
      .bearerToken(token)
      .json({ always: { enabled: true, destination: '303' } })
    forwarding.assertStatus(422)
    const reassigned = await client
      .patch(`/api/v1/extensions/${own.id}`)
      .bearerToken(token)
      .json({ userId: b.user.id })
    reassigned.assertStatus(422)
    assert.equal(reassigned.body().error.details.fields[0].field, 'userId')
    await own.refresh()
    assert.isNull(own.userId)
  })
})
