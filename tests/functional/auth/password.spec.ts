import { test } from '@japa/runner'
import hash from '@adonisjs/core/services/hash'
import AuditLog from '#models/audit_log'
import { createTenant, FACTORY_PASSWORD, isolate, tokenFor } from '#tests/helpers'

test.group('Passwords', (group) => {
  isolate(group)

  test('reset-required users get 403 E_PASSWORD_RESET_REQUIRED until they change it', async ({
    client,
    assert,
  }) => {
    const { admin } = await createTenant()
    admin.passwordResetRequired = true
    await admin.save()
    const token = await tokenFor(admin)

    const blocked = await client.get('/api/v1/users').bearerToken(token)
    blocked.assertStatus(403)
    assert.equal(blocked.body().error.code, 'E_PASSWORD_RESET_REQUIRED')
    ;(await client.get('/api/v1/auth/me').bearerToken(token)).assertStatus(200)

    const changed = await client.put('/api/v1/profile/password').bearerToken(token).json({
      currentPassword: FACTORY_PASSWORD,
      password: 'Brand-new-77x',
      passwordConfirmation: 'Brand-new-77x',
    })
    changed.assertStatus(200)

    await admin.refresh()
    assert.isFalse(admin.passwordResetRequired)
    assert.isTrue(await hash.verify(admin.password, 'Brand-new-77x'))
    // Changing the password revoked every token, including the one used.
    ;(await client.get('/api/v1/auth/me').bearerToken(token)).assertStatus(401)
    const fresh = await tokenFor(admin)
    ;(await client.get('/api/v1/users').bearerToken(fresh)).assertStatus(200)
    const audit = await AuditLog.query()
      .where('action', 'user.password_changed')
      .where('subject_id', String(admin.id))
      .first()
    assert.exists(audit)
  })

  test('the new password must satisfy the policy', async ({ client, assert }) => {
    const { user } = await createTenant()
    const token = await tokenFor(user)
    const cases: [string, string][] = [
      ['short1', 'at least 8 characters'],
      ['onlyletters', 'letters and digits'],
      [`${user.email}1`, 'email address'],
      ['Password123', 'too common'],
    ]
    for (const [password, expected] of cases) {
      const response = await client
        .put('/api/v1/profile/password')
        .bearerToken(token)
        .json({ currentPassword: FACTORY_PASSWORD, password, passwordConfirmation: password })
      response.assertStatus(422)
      const field = response
        .body()
        .error.details.fields.find((f: { field: string }) => f.field === 'password')
      assert.include(field.message, expected)
    }
  })

  test('the current password must be right and confirmation must match', async ({
    client,
    assert,
  }) => {
    const { user } = await createTenant()
    const token = await tokenFor(user)
    const wrongCurrent = await client.put('/api/v1/profile/password').bearerToken(token).json({
      currentPassword: 'Not-mine-123',
      password: 'Brand-new-77x',
      passwordConfirmation: 'Brand-new-77x',
    })
    wrongCurrent.assertStatus(422)
    assert.equal(wrongCurrent.body().error.details.fields[0].field, 'currentPassword')

    const mismatch = await client.put('/api/v1/profile/password').bearerToken(token).json({
      currentPassword: FACTORY_PASSWORD,
      password: 'Brand-new-77x',
      passwordConfirmation: 'Brand-new-78x',
    })
    mismatch.assertStatus(422)
  })

  test('creating a user enforces the policy, including "not the email"', async ({
    client,
    assert,
  }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    const response = await client.post('/api/v1/users').bearerToken(token).json({
      name: 'Pat',
      email: 'patricia@example.test',
      password: 'patricia2026',
      role: 'pbx_user',
    })
    response.assertStatus(422)
    assert.include(response.body().error.details.fields[0].message, 'email address')
  })
})
