import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { countQueries } from '#tests/support/query_counter'
import { makeRooms } from '#tests/functional/conference_rooms/helpers'

test.group('Conference rooms list: no N+1', (group) => {
  isolate(group)

  test('issues the same number of queries for 5 and for 50 rooms', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const list = () =>
      client.get('/api/v1/conference-rooms').qs({ perPage: 100 }).bearerToken(token)
    await list()

    await makeRooms(organization, 5)
    const few = await countQueries(list)
    await makeRooms(organization, 45)
    const many = await countQueries(list)
    const response = await list()
    assert.lengthOf(response.body().data, 50)
    assert.isAbove(few, 0)
    assert.equal(many, few)
  })
})
