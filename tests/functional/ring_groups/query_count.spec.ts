import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { countQueries } from '#tests/support/query_counter'
import { makeExtension } from '#tests/functional/extensions/support'
import { makeRingGroup } from '#tests/functional/ring_groups/support'
import type Organization from '#models/organization'
import type Extension from '#models/extension'

async function groupsWithMembers(organization: Organization, members: Extension[], count: number) {
  for (let i = 0; i < count; i++) await makeRingGroup(organization, members)
}

test.group('Ring groups list: no N+1', (group) => {
  isolate(group)

  test('issues the same number of queries for 5 and for 50 groups with their members', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const members = [
      await makeExtension(organization),
      await makeExtension(organization),
      await makeExtension(organization),
    ]
    const token = await tokenFor(owner)
    const list = () => client.get('/api/v1/ring-groups').qs({ perPage: 100 }).bearerToken(token)
    await list()

    await groupsWithMembers(organization, members, 5)
    const few = await countQueries(list)
    await groupsWithMembers(organization, members, 45)
    const many = await countQueries(list)
    const response = await list()
    assert.lengthOf(response.body().data, 50)
    assert.lengthOf(response.body().data[49].members, 3)
    assert.equal(response.body().data[49].members[2].extension.number, members[2].number)
    assert.isAbove(few, 0)
    assert.equal(many, few)
  })
})
