import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { OutboundRuleFactory } from '#database/factories/trunk_factory'

const fieldsOf = (body: { error: { details: { fields: { field: string }[] } } }) =>
  body.error.details.fields.map((f) => f.field)

test.group('Outbound rules API', (group) => {
  isolate(group)

  test('creates, shows, updates a rule, auditing each change', async ({ client, assert }) => {
    const { admin, organization } = await createTenant()
    const token = await tokenFor(admin)
    const created = await client
      .post('/api/v1/outbound-rules')
      .bearerToken(token)
      .json({ kind: 'deny', prefix: '+882', description: 'International networks' })
    created.assertStatus(201)
    const id = created.body().data.id
    assert.deepInclude(created.body().data, {
      kind: 'deny',
      prefix: '+882',
      description: 'International networks',
      organizationId: organization.id,
    })
    const shown = await client.get(`/api/v1/outbound-rules/${id}`).bearerToken(token)
    assert.equal(shown.body().data.prefix, '+882')
    const updated = await client
      .patch(`/api/v1/outbound-rules/${id}`)
      .bearerToken(token)
      .json({ kind: 'allow', description: null })
    updated.assertStatus(200)
    assert.deepInclude(updated.body().data, { kind: 'allow', description: null, prefix: '+882' })
    const actions = await AuditLog.query()
      .where('subject_type', 'outbound_rule')
      .where('subject_id', String(id))
      .orderBy('id')
    assert.deepEqual(
      actions.map((a) => a.action),
      ['outbound_rule.created', 'outbound_rule.updated'],
    )
    assert.deepInclude(actions[1].before!, { kind: 'deny' })
    assert.deepInclude(actions[1].after!, { kind: 'allow' })
  })

  test('answers 422 for malformed fields and a duplicate prefix', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    await OutboundRuleFactory.merge({ organizationId: organization.id, prefix: '+44' }).create()
    const token = await tokenFor(owner)
    const bad = await client
      .post('/api/v1/outbound-rules')
      .bearerToken(token)
      .json({ kind: 'block', prefix: '0044', description: 'x'.repeat(256) })
    bad.assertStatus(422)
    assert.sameMembers(fieldsOf(bad.body()), ['kind', 'prefix', 'description'])
    for (const prefix of ['+0', '+', '+1234567890123456', '44']) {
      const response = await client
        .post('/api/v1/outbound-rules')
        .bearerToken(token)
        .json({ kind: 'deny', prefix })
      assert.equal(response.status(), 422, prefix)
    }
    const dup = await client
      .post('/api/v1/outbound-rules')
      .bearerToken(token)
      .json({ kind: 'allow', prefix: '+44' })
    dup.assertStatus(422)
    assert.deepEqual(fieldsOf(dup.body()), ['prefix'])
  })

  test('soft-deletes and restores; restoring onto a re-used prefix is 409', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const rule = await OutboundRuleFactory.merge({
      organizationId: organization.id,
      prefix: '+979',
    }).create()
    const token = await tokenFor(owner)
    ;(await client.delete(`/api/v1/outbound-rules/${rule.id}`).bearerToken(token)).assertStatus(204)
    ;(await client.get(`/api/v1/outbound-rules/${rule.id}`).bearerToken(token)).assertStatus(404)
    const restored = await client
      .post(`/api/v1/outbound-rules/${rule.id}/restore`)
      .bearerToken(token)
    restored.assertStatus(200)
    assert.isNull(restored.body().data.deletedAt)

    ;(await client.delete(`/api/v1/outbound-rules/${rule.id}`).bearerToken(token)).assertStatus(204)
    ;(
      await client
        .post('/api/v1/outbound-rules')
        .bearerToken(token)
        .json({ kind: 'allow', prefix: '+979' })
    ).assertStatus(201)
    const refused = await client
      .post(`/api/v1/outbound-rules/${rule.id}/restore`)
      .bearerToken(token)
    refused.assertStatus(409)
    const actions = await AuditLog.query()
      .where('subject_type', 'outbound_rule')
      .where('subject_id', String(rule.id))
      .orderBy('id')
    assert.deepEqual(
      actions.map((a) => a.action),
      ['outbound_rule.deleted', 'outbound_rule.restored', 'outbound_rule.deleted'],
    )
  })

  test('paginates, filters by kind, searches prefix and description, sorts', async ({
    client,
    assert,
  }) => {
    const { reporter, organization } = await createTenant()
    const org = { organizationId: organization.id }
    await OutboundRuleFactory.merge({ ...org, kind: 'allow', prefix: '+44' }).create()
    await OutboundRuleFactory.merge({ ...org, kind: 'deny', prefix: '+1900' }).create()
    await OutboundRuleFactory.merge({
      ...org,
      kind: 'deny',
      prefix: '+53',
      description: 'Cuba: high cost',
    }).create()
    const token = await tokenFor(reporter)
    const prefixes = (r: { body(): { data: { prefix: string }[] } }) =>
      r.body().data.map((x) => x.prefix)

    const all = await client.get('/api/v1/outbound-rules').bearerToken(token)
    all.assertStatus(200)
    assert.deepEqual(prefixes(all), ['+1900', '+44', '+53'])
    const paged = await client
      .get('/api/v1/outbound-rules')
      .qs({ sort: '-prefix', perPage: 2, page: 1 })
      .bearerToken(token)
    assert.deepEqual(prefixes(paged), ['+53', '+44'])
    assert.deepInclude(paged.body().meta, { total: 3, lastPage: 2 })
    const denies = await client
      .get('/api/v1/outbound-rules')
      .qs({ kind: 'deny' })
      .bearerToken(token)
    assert.deepEqual(prefixes(denies), ['+1900', '+53'])
    const search = await client
      .get('/api/v1/outbound-rules')
      .qs({ search: 'high cost' })
      .bearerToken(token)
    assert.deepEqual(prefixes(search), ['+53'])
    ;(
      await client.get('/api/v1/outbound-rules').qs({ sort: 'description' }).bearerToken(token)
    ).assertStatus(422)
  })
})

test.group('Outbound rules RBAC', (group) => {
  isolate(group)

  for (const role of ['owner', 'admin', 'user', 'reporter'] as const) {
    const writes = role === 'owner' || role === 'admin'
    test(`${role} ${writes ? 'may' : 'may not'} change rules and may read them`, async ({
      client,
      assert,
    }) => {
      const tenant = await createTenant()
      const org = { organizationId: tenant.organization.id }
      const [rule, gone, deleted] = await OutboundRuleFactory.merge(org).createMany(3)
      await deleted.merge({ deletedAt: deleted.createdAt }).save()
      const token = await tokenFor(tenant[role])
      const expectWrite = (status: number, ok: number) => assert.equal(status, writes ? ok : 403)

      assert.equal((await client.get('/api/v1/outbound-rules').bearerToken(token)).status(), 200)
      assert.equal(
        (await client.get(`/api/v1/outbound-rules/${rule.id}`).bearerToken(token)).status(),
        200,
      )
      const created = await client
        .post('/api/v1/outbound-rules')
        .bearerToken(token)
        .json({ kind: 'deny', prefix: '+53' })
      expectWrite(created.status(), 201)
      const patch = client.patch(`/api/v1/outbound-rules/${rule.id}`)
      expectWrite((await patch.bearerToken(token).json({ kind: 'allow' })).status(), 200)
      const put = client.put(`/api/v1/outbound-rules/${rule.id}`)
      expectWrite((await put.bearerToken(token).json({ description: 'x' })).status(), 200)
      expectWrite(
        (await client.delete(`/api/v1/outbound-rules/${gone.id}`).bearerToken(token)).status(),
        204,
      )
      expectWrite(
        (
          await client.post(`/api/v1/outbound-rules/${deleted.id}/restore`).bearerToken(token)
        ).status(),
        200,
      )
      await rule.refresh()
      assert.equal(rule.kind, writes ? 'allow' : 'deny')
    })
  }
})
