import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { attachTrunks, OutboundRouteFactory, TrunkFactory } from '#database/factories/trunk_factory'

const fieldsOf = (body: { error: { details: { fields: { field: string }[] } } }) =>
  body.error.details.fields.map((f) => f.field)

const trunkIdsOf = (body: { data: { trunks: { id: number }[] } }) =>
  body.data.trunks.map((t) => t.id)

async function pivotRows(routeId: number) {
  return db
    .from('outbound_route_trunks')
    .where('outbound_route_id', routeId)
    .orderBy('position')
    .select('trunk_id', 'position')
}

test.group('Outbound routes API: create, show, update', (group) => {
  isolate(group)

  test('creates a route with an ordered trunk list and audits it', async ({ client, assert }) => {
    const { admin, organization } = await createTenant()
    const [first, second, third] = await TrunkFactory.merge({
      organizationId: organization.id,
    }).createMany(3)
    const response = await client
      .post('/api/v1/outbound-routes')
      .bearerToken(await tokenFor(admin))
      .json({
        name: 'International',
        prefix: '00',
        minLength: 8,
        maxLength: 18,
        stripDigits: 2,
        prepend: '+',
        priority: 20,
        trunkIds: [third.id, first.id, second.id],
      })
    response.assertStatus(201)
    const body = response.body()
    assert.deepInclude(body.data, {
      name: 'International',
      prefix: '00',
      minLength: 8,
      maxLength: 18,
      stripDigits: 2,
      prepend: '+',
      priority: 20,
      enabled: true,
    })
    assert.deepEqual(trunkIdsOf(body), [third.id, first.id, second.id])
    assert.deepEqual(
      body.data.trunks.map((t: { position: number }) => t.position),
      [0, 1, 2],
    )
    const audit = await AuditLog.query()
      .where('action', 'outbound_route.created')
      .where('subject_id', String(body.data.id))
      .firstOrFail()
    assert.equal(audit.actorUserId, admin.id)

    const shown = await client
      .get(`/api/v1/outbound-routes/${body.data.id}`)
      .bearerToken(await tokenFor(admin))
    assert.deepEqual(trunkIdsOf(shown.body()), [third.id, first.id, second.id])
  })

  test('answers 422 with field errors', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const trunk = await TrunkFactory.merge({ organizationId: organization.id }).create()
    const token = await tokenFor(owner)
    const response = await client
      .post('/api/v1/outbound-routes')
      .bearerToken(token)
      .json({
        name: '',
        prefix: '9#',
        minLength: 0,
        maxLength: 21,
        stripDigits: 11,
        prepend: 'abc',
        priority: 0,
        trunkIds: [trunk.id, trunk.id],
      })
    response.assertStatus(422)
    assert.includeMembers(fieldsOf(response.body()), [
      'name',
      'prefix',
      'minLength',
      'maxLength',
      'stripDigits',
      'prepend',
      'priority',
      'trunkIds',
    ])

    const noTrunks = await client
      .post('/api/v1/outbound-routes')
      .bearerToken(token)
      .json({ name: 'Empty', trunkIds: [] })
    assert.deepEqual(fieldsOf(noTrunks.body()), ['trunkIds'])
    const tooMany = await client
      .post('/api/v1/outbound-routes')
      .bearerToken(token)
      .json({ name: 'Many', trunkIds: Array.from({ length: 11 }, (_, i) => i + 1) })
    assert.include(fieldsOf(tooMany.body()), 'trunkIds')

    const inverted = await client
      .post('/api/v1/outbound-routes')
      .bearerToken(token)
      .json({ name: 'Inverted', minLength: 10, maxLength: 5, trunkIds: [trunk.id] })
    inverted.assertStatus(422)
    assert.deepEqual(fieldsOf(inverted.body()), ['maxLength'])
  })

  test('refuses deleted and unknown trunks', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const deleted = await TrunkFactory.merge({ organizationId: organization.id }).create()
    await deleted.merge({ deletedAt: deleted.createdAt }).save()
    const response = await client
      .post('/api/v1/outbound-routes')
      .bearerToken(await tokenFor(owner))
      .json({ name: 'Ghost', trunkIds: [deleted.id, 999999, 99999999999] })
    response.assertStatus(422)
    assert.sameMembers(fieldsOf(response.body()), ['trunkIds.0', 'trunkIds.1', 'trunkIds.2'])
    const filter = await client
      .get('/api/v1/outbound-routes')
      .qs({ trunkId: 99999999999 })
      .bearerToken(await tokenFor(owner))
    filter.assertStatus(422)
  })

  test('update replaces the trunk list whole, and keeps it when not sent', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const [a, b, c] = await TrunkFactory.merge({ organizationId: organization.id }).createMany(3)
    const route = await OutboundRouteFactory.merge({ organizationId: organization.id }).create()
    await attachTrunks(route, [a, b])
    const token = await tokenFor(owner)

    const reordered = await client
      .patch(`/api/v1/outbound-routes/${route.id}`)
      .bearerToken(token)
      .json({ trunkIds: [c.id, a.id] })
    reordered.assertStatus(200)
    assert.deepEqual(trunkIdsOf(reordered.body()), [c.id, a.id])
    assert.deepEqual(await pivotRows(route.id), [
      { trunk_id: c.id, position: 0 },
      { trunk_id: a.id, position: 1 },
    ])

    const renamed = await client
      .put(`/api/v1/outbound-routes/${route.id}`)
      .bearerToken(token)
      .json({ name: 'Renamed', enabled: false })
    renamed.assertStatus(200)
    assert.deepInclude(renamed.body().data, { name: 'Renamed', enabled: false })
    assert.deepEqual(trunkIdsOf(renamed.body()), [c.id, a.id])

    const audit = await AuditLog.query()
      .where('action', 'outbound_route.updated')
      .where('subject_id', String(route.id))
      .orderBy('id')
      .firstOrFail()
    const before = audit.before as { trunks: { id: number }[] }
    const after = audit.after as { trunks: { id: number }[] }
    assert.deepEqual(
      before.trunks.map((t) => t.id),
      [a.id, b.id],
    )
    assert.deepEqual(
      after.trunks.map((t) => t.id),
      [c.id, a.id],
    )
  })

  test('a refused update leaves the stored trunk list untouched', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const [a, b] = await TrunkFactory.merge({ organizationId: organization.id }).createMany(2)
    const route = await OutboundRouteFactory.merge({ organizationId: organization.id }).create()
    await attachTrunks(route, [a, b])
    const response = await client
      .patch(`/api/v1/outbound-routes/${route.id}`)
      .bearerToken(await tokenFor(owner))
      .json({ trunkIds: [b.id, 999999] })
    response.assertStatus(422)
    assert.deepEqual(await pivotRows(route.id), [
      { trunk_id: a.id, position: 0 },
      { trunk_id: b.id, position: 1 },
    ])
  })

  test('names are unique per organization, whatever the case', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const trunk = await TrunkFactory.merge({ organizationId: organization.id }).create()
    await OutboundRouteFactory.merge({ organizationId: organization.id, name: 'Local' }).create()
    const response = await client
      .post('/api/v1/outbound-routes')
      .bearerToken(await tokenFor(owner))
      .json({ name: 'LOCAL', trunkIds: [trunk.id] })
    response.assertStatus(422)
    assert.deepEqual(fieldsOf(response.body()), ['name'])
  })
})

test.group('Outbound routes API: delete, restore, list', (group) => {
  isolate(group)

  test('soft-deletes and restores with the trunk list intact', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const [a, b] = await TrunkFactory.merge({ organizationId: organization.id }).createMany(2)
    const route = await OutboundRouteFactory.merge({ organizationId: organization.id }).create()
    await attachTrunks(route, [b, a])
    const token = await tokenFor(owner)
    ;(await client.delete(`/api/v1/outbound-routes/${route.id}`).bearerToken(token)).assertStatus(
      204,
    )
    ;(await client.get(`/api/v1/outbound-routes/${route.id}`).bearerToken(token)).assertStatus(404)
    const restored = await client
      .post(`/api/v1/outbound-routes/${route.id}/restore`)
      .bearerToken(token)
    restored.assertStatus(200)
    assert.deepEqual(trunkIdsOf(restored.body()), [b.id, a.id])
    const actions = await AuditLog.query()
      .where('subject_type', 'outbound_route')
      .where('subject_id', String(route.id))
      .orderBy('id')
    assert.deepEqual(
      actions.map((row) => row.action),
      ['outbound_route.deleted', 'outbound_route.restored'],
    )
  })

  test('restoring answers 409 while one of its trunks is deleted', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const trunk = await TrunkFactory.merge({ organizationId: organization.id }).create()
    const route = await OutboundRouteFactory.merge({ organizationId: organization.id }).create()
    await attachTrunks(route, [trunk])
    const token = await tokenFor(owner)
    await client.delete(`/api/v1/outbound-routes/${route.id}`).bearerToken(token)
    ;(await client.delete(`/api/v1/trunks/${trunk.id}`).bearerToken(token)).assertStatus(204)
    const refused = await client
      .post(`/api/v1/outbound-routes/${route.id}/restore`)
      .bearerToken(token)
    refused.assertStatus(409)
    assert.include(refused.body().error.message, trunk.name)
    await client.post(`/api/v1/trunks/${trunk.id}/restore`).bearerToken(token)
    ;(
      await client.post(`/api/v1/outbound-routes/${route.id}/restore`).bearerToken(token)
    ).assertStatus(200)
  })

  test('paginates, filters, searches and sorts; unknown sort is 422', async ({
    client,
    assert,
  }) => {
    const { user, organization } = await createTenant()
    const org = { organizationId: organization.id }
    const [t1, t2] = await TrunkFactory.merge(org).createMany(2)
    const mk = async (name: string, priority: number, prefix: string | null, enabled = true) => {
      const route = await OutboundRouteFactory.merge({
        ...org,
        name,
        priority,
        prefix,
        enabled,
      }).create()
      await attachTrunks(route, name === 'Mobile' ? [t2] : [t1])
      return route
    }
    await mk('Local', 30, '9')
    await mk('Mobile', 10, '07')
    await mk('International', 20, '00')
    await mk('Old', 5, '8', false)
    const token = await tokenFor(user)
    const names = (r: { body(): { data: { name: string }[] } }) => r.body().data.map((x) => x.name)

    const all = await client.get('/api/v1/outbound-routes').bearerToken(token)
    all.assertStatus(200)
    assert.deepEqual(names(all), ['Old', 'Mobile', 'International', 'Local'])
    const paged = await client
      .get('/api/v1/outbound-routes')
      .qs({ sort: 'name', perPage: 3, page: 2 })
      .bearerToken(token)
    assert.deepEqual(names(paged), ['Old'])
    assert.equal(paged.body().meta.total, 4)
    const enabled = await client
      .get('/api/v1/outbound-routes')
      .qs({ enabled: false })
      .bearerToken(token)
    assert.deepEqual(names(enabled), ['Old'])
    const viaTrunk = await client
      .get('/api/v1/outbound-routes')
      .qs({ trunkId: t2.id })
      .bearerToken(token)
    assert.deepEqual(names(viaTrunk), ['Mobile'])
    const search = await client
      .get('/api/v1/outbound-routes')
      .qs({ search: 'inter' })
      .bearerToken(token)
    assert.deepEqual(names(search), ['International'])
    ;(
      await client.get('/api/v1/outbound-routes').qs({ sort: 'prefix' }).bearerToken(token)
    ).assertStatus(422)
  })
})
