import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { countQueries } from '#tests/support/query_counter'
import { makeRecordings } from '#tests/functional/recordings/helpers'

test.group('Recordings list: no N+1', (group) => {
  isolate(group)

  test('issues the same number of queries for 5 and for 50 recordings', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const list = () => client.get('/api/v1/recordings').qs({ perPage: 100 }).bearerToken(token)
    await list()

    await makeRecordings(organization, 5)
    const few = await countQueries(list)
    await makeRecordings(organization, 45)
    const many = await countQueries(list)
    assert.lengthOf((await list()).body().data, 50)
    assert.isAbove(few, 0)
    assert.equal(many, few)
  })
})
