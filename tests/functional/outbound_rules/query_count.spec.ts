import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { countQueries } from '#tests/support/query_counter'
import { OutboundRuleFactory } from '#database/factories/trunk_factory'

test.group('Outbound rules list: no N+1', (group) => {
  isolate(group)

  test('issues the same number of queries for 5 and for 50 rules', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const list = () => client.get('/api/v1/outbound-rules').qs({ perPage: 100 }).bearerToken(token)
    await list()

    await OutboundRuleFactory.merge({ organizationId: organization.id }).createMany(5)
    const few = await countQueries(list)
    await OutboundRuleFactory.merge({ organizationId: organization.id }).createMany(45)
    const many = await countQueries(list)
    assert.lengthOf((await list()).body().data, 50)
    assert.isAbove(few, 0)
    assert.equal(many, few)
  })
})
