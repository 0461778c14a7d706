import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { countQueries } from '#tests/support/query_counter'
import { attachTrunks, OutboundRouteFactory, TrunkFactory } from '#database/factories/trunk_factory'
import type Organization from '#models/organization'

async function routesWithTrunks(organization: Organization, count: number) {
  const trunks = await TrunkFactory.merge({ organizationId: organization.id }).createMany(3)
  const routes = await OutboundRouteFactory.merge({ organizationId: organization.id }).createMany(
    count,
  )
  for (const route of routes) await attachTrunks(route, trunks)
}

test.group('Outbound routes list: no N+1', (group) => {
  isolate(group)

  test('issues the same number of queries for 5 and for 50 routes with their trunks', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const list = () => client.get('/api/v1/outbound-routes').qs({ perPage: 100 }).bearerToken(token)
    await list()

    await routesWithTrunks(organization, 5)
    const few = await countQueries(list)
    await routesWithTrunks(organization, 45)
    const many = await countQueries(list)
    const response = await list()
    assert.lengthOf(response.body().data, 50)
    assert.lengthOf(response.body().data[49].trunks, 3)
    assert.isAbove(few, 0)
    assert.equal(many, few)
  })
})
