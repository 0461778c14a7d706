import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { countQueries } from '#tests/support/query_counter'
import { TrunkFactory } from '#database/factories/trunk_factory'

test.group('Trunks list: no N+1', (group) => {
  isolate(group)

  test('issues the same number of queries for 5 and for 50 trunks', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const list = () => client.get('/api/v1/trunks').qs({ perPage: 100 }).bearerToken(token)
    await list()

    await TrunkFactory.merge({ organizationId: organization.id }).createMany(5)
    const few = await countQueries(list)
    await TrunkFactory.merge({ organizationId: organization.id }).createMany(45)
    const many = await countQueries(list)
    const response = await list()
    assert.lengthOf(response.body().data, 50)
    assert.isAbove(few, 0)
    assert.equal(many, few)
  })
})
