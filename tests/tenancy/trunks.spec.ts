import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor, type Tenant } from '#tests/helpers'
import { assertEachNotFound } from '#tests/tenancy/support'
import {
  attachTrunks,
  OutboundRouteFactory,
  OutboundRuleFactory,
  TrunkFactory,
} from '#database/factories/trunk_factory'

/*
 * Organization A's owner addresses organization B's trunks, outbound routes and outbound
 * rules on every endpoint: always 404, never 403 or data, and B's rows stay untouched.
 */
async function foreignRows(b: Tenant) {
  const org = { organizationId: b.organization.id }
  const trunk = await TrunkFactory.merge({ ...org, name: 'B secret trunk' }).create()
  const deletedTrunk = await TrunkFactory.merge({ ...org, name: 'B binned trunk' }).create()
  await deletedTrunk.merge({ deletedAt: deletedTrunk.createdAt }).save()
  const route = await OutboundRouteFactory.merge({ ...org, name: 'B route', prefix: '+' }).create()
  await attachTrunks(route, [trunk])
  const deletedRoute = await OutboundRouteFactory.merge({ ...org, name: 'B binned' }).create()
  await attachTrunks(deletedRoute, [trunk])
  await deletedRoute.merge({ deletedAt: deletedRoute.createdAt }).save()
  const rule = await OutboundRuleFactory.merge({ ...org, kind: 'allow', prefix: '+44' }).create()
  const deletedRule = await OutboundRuleFactory.merge(org).create()
  await deletedRule.merge({ deletedAt: deletedRule.createdAt }).save()
  return { trunk, deletedTrunk, route, deletedRoute, rule, deletedRule }
}

test.group('Tenancy: trunks, outbound routes and outbound rules', (group) => {
  isolate(group)

  test("every endpoint answers 404 for another organization's ids", async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    const rows = await foreignRows(b)
    const token = await tokenFor(a.owner)
    const requests = [
      client.get(`/api/v1/trunks/${rows.trunk.id}`),
      client.patch(`/api/v1/trunks/${rows.trunk.id}`).json({ name: 'Hijacked' }),
      client.put(`/api/v1/trunks/${rows.trunk.id}`).json({ name: 'Hijacked' }),
      client.delete(`/api/v1/trunks/${rows.trunk.id}`),
      client.post(`/api/v1/trunks/${rows.deletedTrunk.id}/restore`),
      client.get(`/api/v1/outbound-routes/${rows.route.id}`),
      client.patch(`/api/v1/outbound-routes/${rows.route.id}`).json({ name: 'Hijacked' }),
      client.put(`/api/v1/outbound-routes/${rows.route.id}`).json({ name: 'Hijacked' }),
      client.delete(`/api/v1/outbound-routes/${rows.route.id}`),
      client.post(`/api/v1/outbound-routes/${rows.deletedRoute.id}/restore`),
      client.get(`/api/v1/outbound-rules/${rows.rule.id}`),
      client.patch(`/api/v1/outbound-rules/${rows.rule.id}`).json({ kind: 'deny' }),
      client.put(`/api/v1/outbound-rules/${rows.rule.id}`).json({ kind: 'deny' }),
      client.delete(`/api/v1/outbound-rules/${rows.rule.id}`),
      client.post(`/api/v1/outbound-rules/${rows.deletedRule.id}/restore`),
    ]
    await assertEachNotFound(assert, requests, token, ['B secret trunk'])
    const trunk = await db.from('trunks').where('id', rows.trunk.id).firstOrFail()
    assert.equal(trunk.name, 'B secret trunk')
    assert.isNull(trunk.deleted_at)
    const route = await db.from('outbound_routes').where('id', rows.route.id).firstOrFail()
    assert.equal(route.name, 'B route')
    const rule = await db.from('outbound_rules').where('id', rows.rule.id).firstOrFail()
    assert.equal(rule.kind, 'allow')
    assert.isNull(rule.deleted_at)
    for (const [table, id] of [
      ['trunks', rows.deletedTrunk.id],
      ['outbound_routes', rows.deletedRoute.id],
      ['outbound_rules', rows.deletedRule.id],
    ] as const) {
      assert.isNotNull((await db.from(table).where('id', id).firstOrFail()).deleted_at)
    }
  })

  test("lists never include another organization's rows", async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    await foreignRows(b)
    const own = await TrunkFactory.merge({ organizationId: a.organization.id }).create()
    const ownRoute = await OutboundRouteFactory.merge({
      organizationId: a.organization.id,
    }).create()
    await attachTrunks(ownRoute, [own])
    const ownRule = await OutboundRuleFactory.merge({ organizationId: a.organization.id }).create()
    const token = await tokenFor(a.admin)
    const ids = async (path: string, qs: Record<string, unknown> = {}) => {
      const response = await client
        .get(path)
        .qs({ perPage: 100, trashed: 'with', ...qs })
        .bearerToken(token)
      response.assertStatus(200)
      return response.body().data.map((row: { id: number }) => row.id)
    }
    assert.deepEqual(await ids('/api/v1/trunks'), [own.id])
    assert.deepEqual(await ids('/api/v1/trunks', { search: 'B secret' }), [])
    assert.deepEqual(await ids('/api/v1/outbound-routes'), [ownRoute.id])
    const foreignTrunk = await db
      .from('trunks')
      .where('organization_id', b.organization.id)
      .whereNull('deleted_at')
      .firstOrFail()
    assert.deepEqual(await ids('/api/v1/outbound-routes', { trunkId: foreignTrunk.id }), [])
    assert.deepEqual(await ids('/api/v1/outbound-rules'), [ownRule.id])
  })

  test("another organization's trunk cannot be put into a route", async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    const rows = await foreignRows(b)
    const own = await TrunkFactory.merge({ organizationId: a.organization.id }).create()
    const route = await OutboundRouteFactory.merge({ organizationId: a.organization.id }).create()
    await attachTrunks(route, [own])
    const token = await tokenFor(a.owner)
    const created = await client
      .post('/api/v1/outbound-routes')
      .bearerToken(token)
      .json({ name: 'Smuggle', trunkIds: [own.id, rows.trunk.id] })
    created.assertStatus(422)
    assert.equal(created.body().error.details.fields[0].field, 'trunkIds.1')
    const updated = await client
      .patch(`/api/v1/outbound-routes/${route.id}`)
      .bearerToken(token)
      .json({ trunkIds: [rows.trunk.id] })
    updated.assertStatus(422)
  })

  test("resolve uses only the caller's own routes and rules", async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    await foreignRows(b)
    const response = await client
      .post('/api/v1/outbound-routes/resolve')
      .bearerToken(await tokenFor(a.user))
      .json({ number: '+442079460000' })
    response.assertStatus(200)
    assert.deepInclude(response.body().data, {
      allowed: false,
      reason: 'no_route',
      route: null,
      trunks: [],
    })
    assert.isNull(response.body().data.matchedPrefix)
  })

  test("names and prefixes used by another organization are free in one's own", async ({
    client,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const rows = await foreignRows(b)
    const token = await tokenFor(a.owner)
    const trunk = await client
      .post('/api/v1/trunks')
      .bearerToken(token)
      .json({ name: rows.trunk.name, kind: 'ip', allowedCidrs: ['192.0.2.1'] })
    trunk.assertStatus(201)
    ;(
      await client
        .post('/api/v1/outbound-routes')
        .bearerToken(token)
        .json({ name: 'B route', trunkIds: [trunk.body().data.id] })
    ).assertStatus(201)
    ;(
      await client
        .post('/api/v1/outbound-rules')
        .bearerToken(token)
        .json({ kind: 'deny', prefix: '+44' })
    ).assertStatus(201)
  })
})
