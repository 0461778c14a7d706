import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { countQueries } from '#tests/support/query_counter'
import { makeSchedules } from '#tests/functional/business_hours/support'

test.group('Business hours list: no N+1', (group) => {
  isolate(group)

  test('issues the same number of queries for 5 and for 50 schedules with their children', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const list = () => client.get('/api/v1/business-hours').qs({ perPage: 100 }).bearerToken(token)
    await list()

    await makeSchedules(organization, 5)
    const few = await countQueries(list)
    await makeSchedules(organization, 45)
    const many = await countQueries(list)
    const response = await list()
    assert.lengthOf(response.body().data, 50)
    assert.isTrue(response.body().data.every((s: { rules: unknown[] }) => s.rules.length === 5))
    assert.isAbove(few, 0)
    assert.equal(many, few)
  })
})
