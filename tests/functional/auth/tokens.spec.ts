import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'

test.group('API tokens', (group) => {
  isolate(group)

  test('a user creates, lists and revokes their own tokens', async ({ client, assert }) => {
    const { admin } = await createTenant()
    const bootstrap = await tokenFor(admin)

    const created = await client
      .post('/api/v1/auth/tokens')
      .bearerToken(bootstrap)
      .json({ name: 'reporting dashboard', abilities: ['read'], expiresInDays: 30 })
    created.assertStatus(201)
    const { id, token, abilities, expiresAt } = created.body().data
    assert.deepEqual(abilities, ['read'])
    assert.isAbove(new Date(expiresAt).getTime(), Date.now() + 29 * 86400_000)

    const list = await client.get('/api/v1/auth/tokens').bearerToken(bootstrap)
    list.assertStatus(200)
    assert.includeMembers(
      list.body().data.map((t: { id: number }) => t.id),
      [id],
    )
    assert.notInclude(list.text(), token)

    ;(await client.delete(`/api/v1/auth/tokens/${id}`).bearerToken(bootstrap)).assertStatus(204)
    ;(await client.get('/api/v1/auth/me').bearerToken(token)).assertStatus(401)
  })

  test('a read-only token cannot change anything', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const readOnly = await tokenFor(owner, ['read'])
    ;(await client.get('/api/v1/users').bearerToken(readOnly)).assertStatus(200)
    const write = await client
      .post('/api/v1/users')
      .bearerToken(readOnly)
      .json({ name: 'X', email: 'x@example.test', password: 'Valid-pass-2026', role: 'reporter' })
    write.assertStatus(403)
    assert.equal(write.body().error.code, 'E_TOKEN_ABILITY')
  })

  test('an expired token is refused', async ({ client }) => {
    const { user } = await createTenant()
    const token = await tokenFor(user)
    await db
      .from('auth_access_tokens')
      .where('tokenable_id', user.id)
      .update({ expires_at: new Date(Date.now() - 1000) })
    ;(await client.get('/api/v1/auth/me').bearerToken(token)).assertStatus(401)
  })

  test("another user's token id is not found", async ({ client }) => {
    const tenant = await createTenant()
    const other = await createTenant()
    await tokenFor(other.user)
    const [{ id }] = await db
      .from('auth_access_tokens')
      .where('tokenable_id', other.user.id)
      .select('id')
    const mine = await tokenFor(tenant.owner)
    ;(await client.delete(`/api/v1/auth/tokens/${id}`).bearerToken(mine)).assertStatus(404)
    ;(await client.delete(`/api/v1/auth/tokens/abc`).bearerToken(mine)).assertStatus(404)
  })

  test('token creation validates its input', async ({ client, assert }) => {
    const { user } = await createTenant()
    const token = await tokenFor(user)
    const response = await client
      .post('/api/v1/auth/tokens')
      .bearerToken(token)
      .json({ name: '', abilities: ['admin'], expiresInDays: 9999 })
    response.assertStatus(422)
    const fields = response.body().error.details.fields.map((f: { field: string }) => f.field)
    assert.includeMembers(fields, ['name', 'abilities.0', 'expiresInDays'])
  })

  test('tokens of a suspended organization answer 403', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    organization.status = 'suspended'
    await organization.save()
    const response = await client.get('/api/v1/users').bearerToken(token)
    response.assertStatus(403)
    assert.equal(response.body().error.code, 'E_ORGANIZATION_SUSPENDED')
  })

  test('/api/v1 is limited to 60 requests a minute per user', async ({ client, assert }) => {
    const { reporter, user } = await createTenant()
    const token = await tokenFor(reporter)
    for (let i = 0; i < 60; i++) {
      ;(await client.get('/api/v1/auth/me').bearerToken(token)).assertStatus(200)
    }
    const limited = await client.get('/api/v1/auth/me').bearerToken(token)
    limited.assertStatus(429)
    assert.equal(limited.body().error.code, 'E_TOO_MANY_REQUESTS')
    assert.isAbove(Number(limited.header('retry-after')), 0)
    // The limit is per user: a colleague is not affected.
    ;(await client.get('/api/v1/auth/me').bearerToken(await tokenFor(user))).assertStatus(200)
  })
})
