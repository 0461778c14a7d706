import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { countQueries } from '#tests/support/query_counter'
import { makeMenu } from '#tests/functional/ivr_menus/helpers'

const names = (body: { data: { name: string }[] }) => body.data.map((m) => m.name)

test.group('IVR menus list', (group) => {
  isolate(group)

  test('paginates, filters by status, searches names and sorts', async ({ client, assert }) => {
    const { reporter, organization } = await createTenant()
    const token = await tokenFor(reporter)
    await makeMenu(organization, { name: 'Sales' })
    await makeMenu(organization, { name: 'Support 50%' })
    await makeMenu(organization, { name: 'After hours', status: 'inactive' })
    await makeMenu(organization, { name: 'Gone', deletedAt: organization.createdAt })
    const list = (qs: Record<string, unknown>) =>
      client.get('/api/v1/ivr-menus').qs(qs).bearerToken(token)

    const first = await list({ perPage: 2 })
    assert.deepEqual(names(first.body()), ['After hours', 'Sales'])
    assert.deepEqual(first.body().meta, { total: 3, perPage: 2, page: 1, lastPage: 2 })
    assert.deepEqual(names((await list({ perPage: 2, page: 2 })).body()), ['Support 50%'])
    assert.deepEqual(names((await list({ sort: '-name' })).body()), [
      'Support 50%',
      'Sales',
      'After hours',
    ])
    assert.deepEqual(names((await list({ sort: 'created_at' })).body()), [
      'Sales',
      'Support 50%',
      'After hours',
    ])
    assert.deepEqual(names((await list({ status: 'inactive' })).body()), ['After hours'])
    assert.deepEqual(names((await list({ search: 'sup' })).body()), ['Support 50%'])
    assert.deepEqual(names((await list({ search: '0%' })).body()), ['Support 50%'])
    assert.deepEqual(names((await list({ search: '%' })).body()), ['Support 50%'])
    assert.deepEqual(names((await list({ trashed: 'with' })).body()), [
      'After hours',
      'Gone',
      'Sales',
      'Support 50%',
    ])
  })

  test('refuses unknown sort fields and bad filters with 422', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    for (const [qs, field] of [
      [{ sort: 'prompt_tts_text' }, 'sort'],
      [{ sort: 'status' }, 'sort'],
      [{ status: 'open' }, 'status'],
      [{ perPage: 101 }, 'perPage'],
    ] as const) {
      const response = await client.get('/api/v1/ivr-menus').qs(qs).bearerToken(token)
      response.assertStatus(422)
      assert.equal(response.body().error.details.fields[0].field, field)
    }
  })

  test('issues the same number of queries for 5 and for 50 menus with options', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const list = () => client.get('/api/v1/ivr-menus').qs({ perPage: 100 }).bearerToken(token)
    const options = [
      { digit: '1', type: 'hangup' as const },
      { digit: '2', type: 'hangup' as const },
    ]
    await list()

    for (let i = 0; i < 5; i++) await makeMenu(organization, {}, options)
    const few = await countQueries(list)
    for (let i = 0; i < 45; i++) await makeMenu(organization, {}, options)
    const many = await countQueries(list)
    const response = await list()
    assert.lengthOf(response.body().data, 50)
    assert.lengthOf(response.body().data[49].options, 2)
    assert.isAbove(few, 0)
    assert.equal(many, few)
  })
})
