import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import { createTenant, FACTORY_PASSWORD, isolate, tokenFor } from '#tests/helpers'

test.group('Profile API', (group) => {
  isolate(group)

  for (const actor of ['owner', 'admin', 'user', 'reporter'] as const) {
    test(`${actor} reads and edits their own name and phone`, async ({ client, assert }) => {
      const tenant = await createTenant()
      const me = tenant[actor]
      const token = await tokenFor(me)
      const shown = await client.get('/api/v1/profile').bearerToken(token)
      shown.assertStatus(200)
      assert.equal(shown.body().data.id, me.id)
      assert.notProperty(shown.body().data, 'password')

      const updated = await client
        .put('/api/v1/profile')
        .bearerToken(token)
        .json({ name: 'New Name', phone: '+1 (555) 010-2000' })
      updated.assertStatus(200)
      assert.deepInclude(updated.body().data, {
        name: 'New Name',
        phone: '+1 (555) 010-2000',
        role: me.role,
      })
      const audit = await AuditLog.query()
        .where('action', 'user.profile_updated')
        .where('subject_id', String(me.id))
        .firstOrFail()
      assert.equal(audit.actorUserId, me.id)
      assert.equal((audit.before as { name: string }).name, me.name)
      assert.equal((audit.after as { name: string }).name, 'New Name')
    })
  }

  test('changing the email needs the right current password', async ({ client, assert }) => {
    const { user } = await createTenant()
    const token = await tokenFor(user)
    const missing = await client
      .put('/api/v1/profile')
      .bearerToken(token)
      .json({ email: 'moved@example.test' })
    missing.assertStatus(422)
    assert.equal(missing.body().error.details.fields[0].field, 'currentPassword')

    const wrong = await client
      .put('/api/v1/profile')
      .bearerToken(token)
      .json({ email: 'moved@example.test', currentPassword: 'not-my-password-1' })
    wrong.assertStatus(422)
    assert.equal(wrong.body().error.details.fields[0].field, 'currentPassword')
    await user.refresh()
    assert.notEqual(user.email, 'moved@example.test')

    const ok = await client
      .put('/api/v1/profile')
      .bearerToken(token)
      .json({ email: 'Moved@Example.test', currentPassword: FACTORY_PASSWORD })
    ok.assertStatus(200)
    assert.equal(ok.body().data.email, 'moved@example.test')
    ;(
      await client
        .post('/api/v1/auth/login')
        .json({ email: 'moved@example.test', password: FACTORY_PASSWORD })
    ).assertStatus(201)
    const audit = await AuditLog.query().where('action', 'user.profile_updated').firstOrFail()
    assert.isTrue((audit.metadata as { emailChanged: boolean }).emailChanged)
  })

  test('keeping the same email, in any case, needs no password', async ({ client }) => {
    const { reporter } = await createTenant()
    const response = await client
      .put('/api/v1/profile')
      .bearerToken(await tokenFor(reporter))
      .json({ email: reporter.email.toUpperCase(), name: 'Same Mail' })
    response.assertStatus(200)
  })

  test('an email used anywhere on the platform is refused', async ({ client, assert }) => {
    const { admin } = await createTenant()
    const other = await createTenant()
    const response = await client
      .put('/api/v1/profile')
      .bearerToken(await tokenFor(admin))
      .json({ email: other.owner.email.toUpperCase(), currentPassword: FACTORY_PASSWORD })
    response.assertStatus(422)
    assert.equal(response.body().error.details.fields[0].field, 'email')
  })

  test('invalid fields answer 422; role and status cannot be changed here', async ({
    client,
    assert,
  }) => {
    const { user } = await createTenant()
    const token = await tokenFor(user)
    const response = await client
      .put('/api/v1/profile')
      .bearerToken(token)
      .json({ name: 'x'.repeat(121), phone: 'call me', email: 'not-an-email' })
    response.assertStatus(422)
    assert.sameMembers(
      response.body().error.details.fields.map((f: { field: string }) => f.field),
      ['name', 'phone', 'email'],
    )
    const escalate = await client
      .put('/api/v1/profile')
      .bearerToken(token)
      .json({ role: 'owner', status: 'inactive' })
    escalate.assertStatus(200)
    assert.equal(escalate.body().data.role, 'pbx_user')
    assert.equal(escalate.body().data.status, 'active')
  })
})
