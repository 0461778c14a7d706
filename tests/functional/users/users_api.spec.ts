import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import { createTenant, FACTORY_PASSWORD, isolate, tokenFor } from '#tests/helpers'
import { UserFactory } from '#database/factories/user_factory'
import UserDirectory from '#services/users/user_directory'

test.group('Users API', (group) => {
  isolate(group)

  test('creates a user who can then sign in, and audits it', async ({ client, assert }) => {
    const { admin, organization } = await createTenant()
    const token = await tokenFor(admin)
    const created = await client.post('/api/v1/users').bearerToken(token).json({
      name: 'Nina',
      email: 'Nina.New@Example.test',
      password: 'Valid-pass-2026',
      role: 'pbx_user',
    })
    created.assertStatus(201)
    const body = created.body().data
    assert.equal(body.email, 'nina.new@example.test')
    assert.equal(body.organizationId, organization.id)
    assert.notProperty(body, 'password')
    ;(
      await client
        .post('/api/v1/auth/login')
        .json({ email: 'nina.new@example.test', password: 'Valid-pass-2026' })
    ).assertStatus(201)
    const audit = await AuditLog.query()
      .where('action', 'user.created')
      .where('subject_id', String(body.id))
      .firstOrFail()
    assert.equal(audit.organizationId, organization.id)
    assert.equal(audit.actorUserId, admin.id)
    assert.isNull(audit.impersonatorStaffId)
  })

  test('emails are unique across the platform, whatever the case', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const other = await createTenant()
    const token = await tokenFor(owner)
    const response = await client.post('/api/v1/users').bearerToken(token).json({
      name: 'Dup',
      email: other.user.email.toUpperCase(),
      password: 'Valid-pass-2026',
      role: 'pbx_user',
    })
    response.assertStatus(422)
    assert.equal(response.body().error.details.fields[0].field, 'email')
  })

  test('lists with pagination, search, filters and sort', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    await UserFactory.merge({ organizationId: organization.id, role: 'reporter' }).createMany(5)
    await UserFactory.merge({ organizationId: organization.id, name: 'Zelda Searchable' }).create()
    const token = await tokenFor(owner)

    const page = await client
      .get('/api/v1/users')
      .qs({ perPage: 3, page: 2, sort: '-name' })
      .bearerToken(token)
    page.assertStatus(200)
    assert.lengthOf(page.body().data, 3)
    assert.deepInclude(page.body().meta, { total: 10, perPage: 3, page: 2, lastPage: 4 })

    const search = await client.get('/api/v1/users').qs({ search: 'zelda' }).bearerToken(token)
    assert.deepEqual(
      search.body().data.map((u: { name: string }) => u.name),
      ['Zelda Searchable'],
    )

    const reporters = await client.get('/api/v1/users').qs({ role: 'reporter' }).bearerToken(token)
    assert.equal(reporters.body().meta.total, 6)

    const bad = await client
      .get('/api/v1/users')
      .qs({ perPage: 1000, sort: 'password' })
      .bearerToken(token)
    bad.assertStatus(422)
  })

  test('soft-deletes and restores a user; a deleted user cannot sign in', async ({
    client,
    assert,
  }) => {
    const { owner, user } = await createTenant()
    const token = await tokenFor(owner)
    ;(await client.delete(`/api/v1/users/${user.id}`).bearerToken(token)).assertStatus(204)
    ;(await client.get(`/api/v1/users/${user.id}`).bearerToken(token)).assertStatus(404)
    ;(
      await client
        .post('/api/v1/auth/login')
        .json({ email: user.email, password: FACTORY_PASSWORD })
    ).assertStatus(401)

    const trashed = await client.get('/api/v1/users').qs({ trashed: 'only' }).bearerToken(token)
    assert.deepEqual(
      trashed.body().data.map((u: { id: number }) => u.id),
      [user.id],
    )

    ;(await client.post(`/api/v1/users/${user.id}/restore`).bearerToken(token)).assertStatus(200)
    ;(
      await client
        .post('/api/v1/auth/login')
        .json({ email: user.email, password: FACTORY_PASSWORD })
    ).assertStatus(201)
  })

  test('an organization keeps at least one active owner', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const second = await UserFactory.merge({
      organizationId: organization.id,
      role: 'owner',
    }).create()
    // With two owners, one may demote the other.
    ;(
      await client
        .patch(`/api/v1/users/${second.id}`)
        .bearerToken(await tokenFor(owner))
        .json({ role: 'pbx_admin' })
    ).assertStatus(200)

    // Through the API an owner can never demote, deactivate or delete themselves (policy),
    // so the last-owner rule is the service's own backstop, e.g. against a concurrent
    // demotion: exercised directly here.
    const directory = new UserDirectory()
    const actor = {
      organizationId: organization.id,
      actorUserId: null,
      impersonatorStaffId: null,
      ip: null,
      userAgent: null,
      requestId: null,
    }
    await assert.rejects(
      () => directory.update(organization, owner, { role: 'pbx_user' }, actor),
      /at least one active owner/,
    )
    await assert.rejects(
      () => directory.update(organization, owner, { status: 'inactive' }, actor),
      /at least one active owner/,
    )
    await assert.rejects(
      () => directory.delete(organization, owner, actor),
      /at least one active owner/,
    )
    await owner.refresh()
    assert.equal(owner.role, 'owner')
    assert.isNull(owner.deletedAt)
  })
})
