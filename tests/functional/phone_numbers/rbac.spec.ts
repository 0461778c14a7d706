import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makePhoneNumber } from '#tests/functional/phone_numbers/support'

test.group('Phone numbers: roles', (group) => {
  isolate(group)

  test('every role reads numbers', async ({ client }) => {
    const tenant = await createTenant()
    const row = await makePhoneNumber(tenant.organization)
    for (const role of ['owner', 'admin', 'user', 'reporter'] as const) {
      const token = await tokenFor(tenant[role])
      ;(await client.get('/api/v1/phone-numbers').bearerToken(token)).assertStatus(200)
      ;(await client.get(`/api/v1/phone-numbers/${row.id}`).bearerToken(token)).assertStatus(200)
    }
  })

  test('PBX users and reporters cannot create, update, delete or restore', async ({
    client,
    assert,
  }) => {
    const tenant = await createTenant()
    const row = await makePhoneNumber(tenant.organization, { friendlyName: 'Kept' })
    const trashed = await makePhoneNumber(tenant.organization)
    await trashed.merge({ deletedAt: trashed.createdAt }).save()
    for (const role of ['user', 'reporter'] as const) {
      const token = await tokenFor(tenant[role])
      const requests = [
        client
          .post('/api/v1/phone-numbers')
          .json({ number: '+4930123123', routing: { type: 'hangup' } }),
        client.patch(`/api/v1/phone-numbers/${row.id}`).json({ friendlyName: 'Changed' }),
        client.delete(`/api/v1/phone-numbers/${row.id}`),
        client.post(`/api/v1/phone-numbers/${trashed.id}/restore`),
      ]
      for (const request of requests) {
        const response = await request.bearerToken(token)
        assert.equal(response.status(), 403, `${role}: ${response.text()}`)
      }
    }
    const raw = await db.from('phone_numbers').where('id', row.id).firstOrFail()
    assert.equal(raw.friendly_name, 'Kept')
    assert.isNull(raw.deleted_at)
    assert.equal(
      await db
        .from('phone_numbers')
        .where('number', '+4930123123')
        .count('* as n')
        .first()
        .then((r) => Number(r.n)),
      0,
    )
  })

  test('owners and PBX admins manage numbers', async ({ client }) => {
    const tenant = await createTenant()
    for (const [index, role] of (['owner', 'admin'] as const).entries()) {
      const token = await tokenFor(tenant[role])
      const created = await client
        .post('/api/v1/phone-numbers')
        .bearerToken(token)
        .json({ number: `+493010000${index}0`, routing: { type: 'hangup' } })
      created.assertStatus(201)
      const id = created.body().data.id
      ;(
        await client
          .patch(`/api/v1/phone-numbers/${id}`)
          .bearerToken(token)
          .json({ status: 'inactive' })
      ).assertStatus(200)
      ;(await client.delete(`/api/v1/phone-numbers/${id}`).bearerToken(token)).assertStatus(204)
      ;(await client.post(`/api/v1/phone-numbers/${id}/restore`).bearerToken(token)).assertStatus(
        200,
      )
    }
  })
})
