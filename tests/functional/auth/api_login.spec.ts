import { test } from '@japa/runner'
import { createTenant, FACTORY_PASSWORD, isolate } from '#tests/helpers'
import { LOCKOUT_ATTEMPTS } from '#services/auth/sign_in'

test.group('API sign-in', (group) => {
  isolate(group)

  test('issues a bearer token that authenticates /auth/me', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const login = await client
      .post('/api/v1/auth/login')
      .json({ email: owner.email.toUpperCase(), password: FACTORY_PASSWORD })
    login.assertStatus(201)
    const { token, tokenType } = login.body().data
    assert.equal(tokenType, 'Bearer')
    assert.match(token, /^opbx_/)

    const me = await client.get('/api/v1/auth/me').bearerToken(token)
    me.assertStatus(200)
    assert.equal(me.body().data.user.id, owner.id)
    assert.equal(me.body().data.organization.id, organization.id)
    assert.notProperty(me.body().data.user, 'password')
  })

  test('unknown email and wrong password fail identically', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const wrong = await client
      .post('/api/v1/auth/login')
      .json({ email: owner.email, password: 'Wrong-pass-1' })
    const unknown = await client
      .post('/api/v1/auth/login')
      .json({ email: 'nobody@nowhere.test', password: 'Wrong-pass-1' })
    wrong.assertStatus(401)
    unknown.assertStatus(401)
    assert.equal(wrong.body().error.code, 'E_INVALID_CREDENTIALS')
    assert.equal(wrong.body().error.message, unknown.body().error.message)
  })

  test('locks the account after repeated failures, even with the right password', async ({
    client,
    assert,
  }) => {
    const { user } = await createTenant()
    for (let i = 0; i < LOCKOUT_ATTEMPTS; i++) {
      const r = await client
        .post('/api/v1/auth/login')
        .json({ email: user.email, password: 'Wrong-pass-1' })
      r.assertStatus(401)
    }
    const locked = await client
      .post('/api/v1/auth/login')
      .json({ email: user.email, password: FACTORY_PASSWORD })
    locked.assertStatus(423)
    assert.equal(locked.body().error.code, 'E_ACCOUNT_LOCKED')
    assert.match(locked.body().error.message, /locked for \d+ more minute/)
    assert.isAbove(Number(locked.header('retry-after')), 0)
  })

  test('a successful sign-in clears earlier failures', async ({ client }) => {
    const { user } = await createTenant()
    for (let i = 0; i < LOCKOUT_ATTEMPTS - 1; i++) {
      await client.post('/api/v1/auth/login').json({ email: user.email, password: 'Wrong-pass-1' })
    }
    ;(
      await client
        .post('/api/v1/auth/login')
        .json({ email: user.email, password: FACTORY_PASSWORD })
    ).assertStatus(201)
    ;(
      await client.post('/api/v1/auth/login').json({ email: user.email, password: 'Wrong-pass-1' })
    ).assertStatus(401)
    ;(
      await client
        .post('/api/v1/auth/login')
        .json({ email: user.email, password: FACTORY_PASSWORD })
    ).assertStatus(201)
  })

  test('is rate limited to 10 a minute per IP and email with Retry-After', async ({
    client,
    assert,
  }) => {
    const { user } = await createTenant()
    for (let i = 0; i < 10; i++) {
      ;(
        await client
          .post('/api/v1/auth/login')
          .json({ email: user.email, password: FACTORY_PASSWORD })
      ).assertStatus(201)
    }
    const limited = await client
      .post('/api/v1/auth/login')
      .json({ email: user.email, password: FACTORY_PASSWORD })
    limited.assertStatus(429)
    assert.equal(limited.body().error.code, 'E_TOO_MANY_REQUESTS')
    assert.isAbove(Number(limited.header('retry-after')), 0)
    // Another account from the same IP is not affected.
    const { owner } = await createTenant()
    ;(
      await client
        .post('/api/v1/auth/login')
        .json({ email: owner.email, password: FACTORY_PASSWORD })
    ).assertStatus(201)
  })

  test('refuses users of a suspended organization', async ({ client, assert }) => {
    const { owner } = await createTenant('suspended')
    const response = await client
      .post('/api/v1/auth/login')
      .json({ email: owner.email, password: FACTORY_PASSWORD })
    response.assertStatus(403)
    assert.equal(response.body().error.code, 'E_ORGANIZATION_SUSPENDED')
  })

  test('refuses inactive users', async ({ client, assert }) => {
    const { user } = await createTenant()
    user.status = 'inactive'
    await user.save()
    const response = await client
      .post('/api/v1/auth/login')
      .json({ email: user.email, password: FACTORY_PASSWORD })
    response.assertStatus(403)
    assert.equal(response.body().error.code, 'E_ACCOUNT_INACTIVE')
  })

  test('signing out revokes the token', async ({ client }) => {
    const { user } = await createTenant()
    const token = (
      await client
        .post('/api/v1/auth/login')
        .json({ email: user.email, password: FACTORY_PASSWORD })
    ).body().data.token
    ;(await client.delete('/api/v1/auth/session').bearerToken(token)).assertStatus(204)
    ;(await client.get('/api/v1/auth/me').bearerToken(token)).assertStatus(401)
  })
})
