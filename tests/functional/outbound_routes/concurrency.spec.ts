import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, tokenFor, type Tenant } from '#tests/helpers'
import { attachTrunks, OutboundRouteFactory, TrunkFactory } from '#database/factories/trunk_factory'

/*
 * Runs outside the per-test transaction on purpose: with one shared connection the
 * requests could not really overlap. Here each request has its own connection, so the row
 * lock on the route is what keeps two trunk lists from interleaving.
 */
test.group('Outbound routes: concurrent trunk list updates', (group) => {
  let tenant: Tenant | undefined

  group.each.teardown(async () => {
    if (!tenant) return
    const users = [tenant.owner, tenant.admin, tenant.user, tenant.reporter].map((u) => u.id)
    await db.from('outbound_route_trunks').where('organization_id', tenant.organization.id).delete()
    await db.from('outbound_routes').where('organization_id', tenant.organization.id).delete()
    await db.from('trunks').where('organization_id', tenant.organization.id).delete()
    await db.from('audit_logs').where('organization_id', tenant.organization.id).delete()
    await db.from('users').whereIn('id', users).delete()
    await db.from('organizations').where('id', tenant.organization.id).delete()
  })

  test('simultaneous updates each leave one whole list, never a mix', async ({
    client,
    assert,
  }) => {
    tenant = await createTenant()
    const org = { organizationId: tenant.organization.id }
    const trunks = await TrunkFactory.merge(org).createMany(8)
    const route = await OutboundRouteFactory.merge(org).create()
    await attachTrunks(route, trunks.slice(0, 1))
    const token = await tokenFor(tenant.owner)
    const lists = [
      [0, 1, 2],
      [3, 4, 5, 6],
      [7, 2, 4],
      [6, 5],
      [1, 3, 5, 7],
    ].map((indexes) => indexes.map((i) => trunks[i].id))

    for (let round = 0; round < 3; round++) {
      const responses = await Promise.all(
        lists.map((trunkIds) =>
          client.patch(`/api/v1/outbound-routes/${route.id}`).bearerToken(token).json({ trunkIds }),
        ),
      )
      for (const response of responses) response.assertStatus(200)
      const stored = await db
        .from('outbound_route_trunks')
        .where('outbound_route_id', route.id)
        .orderBy('position')
        .select('trunk_id', 'position')
      const ids = stored.map((row) => row.trunk_id)
      assert.isTrue(
        lists.some((list) => JSON.stringify(list) === JSON.stringify(ids)),
        `torn list ${ids}`,
      )
      assert.deepEqual(
        stored.map((row) => row.position),
        ids.map((_, i) => i),
      )
    }
  })
})
