import { test } from '@japa/runner'
import { UserFactory } from '#database/factories/user_factory'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { countQueries } from '#tests/support/query_counter'
import { makeExtension } from '#tests/functional/extensions/support'

test.group('Extensions list: no N+1', (group) => {
  isolate(group)

  test('issues the same number of queries for 5 and for 50 extensions', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const list = () => client.get('/api/v1/extensions').qs({ perPage: 100 }).bearerToken(token)
    const addWithUsers = async (count: number) => {
      for (let i = 0; i < count; i++) {
        const user = await UserFactory.merge({ organizationId: organization.id }).create()
        await makeExtension(organization, { userId: user.id })
      }
    }
    await list()
    await addWithUsers(5)
    const few = await countQueries(list)
    await addWithUsers(45)
    const many = await countQueries(list)
    assert.equal((await list()).body().meta.total, 50)
    assert.isAbove(few, 0)
    assert.equal(many, few)
  }).timeout(30_000)
})
