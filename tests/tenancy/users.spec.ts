import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { assertEachNotFound } from '#tests/tenancy/support'

/*
 * Cross-tenant matrix: organization A's owner (every right inside A) addresses
 * organization B's ids on every tenant endpoint and must get 404, never 403 or data.
 * Grows with every new tenant resource.
 */
test.group('Tenancy: users endpoints', (group) => {
  isolate(group)

  test("every users endpoint answers 404 for another organization's user", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const token = await tokenFor(a.owner)
    const foreign = b.admin.id

    const requests = [
      client.get(`/api/v1/users/${foreign}`),
      client.patch(`/api/v1/users/${foreign}`).json({ name: 'Hijacked' }),
      client.put(`/api/v1/users/${foreign}`).json({ role: 'reporter' }),
      client.delete(`/api/v1/users/${foreign}`),
      client.post(`/api/v1/users/${foreign}/restore`),
    ]
    await assertEachNotFound(assert, requests, token, [b.admin.email])
    await b.admin.refresh()
    assert.notEqual(b.admin.name, 'Hijacked')
    assert.equal(b.admin.role, 'pbx_admin')
    assert.isNull(b.admin.deletedAt)
  })

  test("lists never include another organization's users", async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    const response = await client
      .get('/api/v1/users')
      .qs({ perPage: 100, trashed: 'with' })
      .bearerToken(await tokenFor(a.admin))
    const ids = response.body().data.map((u: { id: number }) => u.id)
    assert.sameMembers(ids, [a.owner.id, a.admin.id, a.user.id, a.reporter.id])
    for (const foreign of [b.owner, b.admin, b.user, b.reporter]) assert.notInclude(ids, foreign.id)

    const search = await client
      .get('/api/v1/users')
      .qs({ search: b.owner.email })
      .bearerToken(await tokenFor(a.admin))
    assert.lengthOf(search.body().data, 0)
  })

  test("another organization's API token id is not found", async ({ client }) => {
    const a = await createTenant()
    const b = await createTenant()
    await tokenFor(b.owner)
    const [{ id }] = await db
      .from('auth_access_tokens')
      .where('tokenable_id', b.owner.id)
      .select('id')
    ;(
      await client.delete(`/api/v1/auth/tokens/${id}`).bearerToken(await tokenFor(a.owner))
    ).assertStatus(404)
  })

  test("the organization endpoint only ever shows the caller's own organization", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    await createTenant()
    const response = await client
      .get('/api/v1/organization')
      .bearerToken(await tokenFor(a.reporter))
    response.assertStatus(200)
    assert.equal(response.body().data.id, a.organization.id)
  })
})
