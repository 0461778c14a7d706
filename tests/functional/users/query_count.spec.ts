import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { countQueries } from '#tests/support/query_counter'
import { UserFactory } from '#database/factories/user_factory'

test.group('Users list: no N+1', (group) => {
  isolate(group)

  test('issues the same number of queries for 5 and for 50 users', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const list = () => client.get('/api/v1/users').qs({ perPage: 100 }).bearerToken(token)
    await list() // warm-up: first-request work (token last-used update paths) is not the point

    await UserFactory.merge({ organizationId: organization.id }).createMany(1)
    const few = await countQueries(list)
    await UserFactory.merge({ organizationId: organization.id }).createMany(45)
    const many = await countQueries(list)
    assert.isAbove(few, 0)
    assert.equal(many, few)
  })
})
