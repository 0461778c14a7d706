import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { assertEachNotFound } from '#tests/tenancy/support'
import { makeExtension } from '#tests/functional/extensions/support'
import { makePhoneNumber, makeTrunk } from '#tests/functional/phone_numbers/support'
import PhoneNumber from '#models/phone_number'
import TenantScopeMissingException from '#exceptions/tenant_scope_missing_exception'

/*
 * Organization A's owner (every right inside A) addresses organization B's numbers on
 * every endpoint: always 404, never 403 or data, and B's rows stay untouched.
 */
test.group('Tenancy: phone numbers endpoints', (group) => {
  isolate(group)

  test("every phone numbers endpoint answers 404 for another organization's number", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const foreign = await makePhoneNumber(b.organization, { friendlyName: 'B private line' })
    const trashed = await makePhoneNumber(b.organization)
    await trashed.merge({ deletedAt: trashed.createdAt }).save()
    const token = await tokenFor(a.owner)
    const requests = [
      client.get(`/api/v1/phone-numbers/${foreign.id}`),
      client.patch(`/api/v1/phone-numbers/${foreign.id}`).json({ friendlyName: 'Hijacked' }),
      client.delete(`/api/v1/phone-numbers/${foreign.id}`),
      client.post(`/api/v1/phone-numbers/${trashed.id}/restore`),
    ]
    await assertEachNotFound(assert, requests, token, ['B private line'])
    const raw = await db.from('phone_numbers').where('id', foreign.id).firstOrFail()
    assert.equal(raw.friendly_name, 'B private line')
    assert.isNull(raw.deleted_at)
    const trashedRaw = await db.from('phone_numbers').where('id', trashed.id).firstOrFail()
    assert.isNotNull(trashedRaw.deleted_at)
  })

  test("lists, filters and search never include another organization's numbers", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const own = await makePhoneNumber(a.organization)
    const trunk = await makeTrunk(b.organization)
    await makePhoneNumber(b.organization, { friendlyName: 'Secret B', trunkId: trunk })
    const token = await tokenFor(a.reporter)
    const all = await client
      .get('/api/v1/phone-numbers')
      .qs({ perPage: 100, trashed: 'with' })
      .bearerToken(token)
    assert.deepEqual(
      all.body().data.map((r: { id: number }) => r.id),
      [own.id],
    )
    for (const qs of [{ search: 'Secret' }, { trunkId: trunk }]) {
      const response = await client.get('/api/v1/phone-numbers').qs(qs).bearerToken(token)
      assert.lengthOf(response.body().data, 0)
    }
  })

  test("another organization's targets cannot be routed to, on create or update", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const foreign = await makeExtension(b.organization, { name: 'B desk' })
    const own = await makePhoneNumber(a.organization)
    const token = await tokenFor(a.owner)
    const routing = { type: 'extension', id: foreign.id }
    const responses = [
      await client
        .post('/api/v1/phone-numbers')
        .bearerToken(token)
        .json({ number: '+4930808080', routing }),
      await client.patch(`/api/v1/phone-numbers/${own.id}`).bearerToken(token).json({ routing }),
    ]
    for (const response of responses) {
      response.assertStatus(422)
      assert.notInclude(response.text(), 'B desk')
    }
  })

  test('an unscoped PhoneNumber read throws instead of crossing tenants', async ({ assert }) => {
    const { organization } = await createTenant()
    const row = await makePhoneNumber(organization)
    await assert.rejects(() => PhoneNumber.find(row.id), TenantScopeMissingException)
    await assert.rejects(
      () => PhoneNumber.findBy('number', row.number),
      TenantScopeMissingException,
    )
  })
})
