import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { countQueries } from '#tests/support/query_counter'
import { makeExtension } from '#tests/functional/extensions/support'
import {
  makeIvrMenu,
  makePhoneNumber,
  makeRoom,
  makeSchedule,
  makeStaffedRingGroup,
  makeTrunk,
} from '#tests/functional/phone_numbers/support'
import type Organization from '#models/organization'
import type { RoutingType } from '#enums/phone_numbers'

const numbersOf = (body: { data: { number: string }[] }) => body.data.map((r) => r.number)

test.group('Phone numbers list: filters, search, sort, pagination', (group) => {
  isolate(group)

  test('filters by status, routing type and trunk', async ({ client, assert }) => {
    const { reporter, organization } = await createTenant()
    const trunk = await makeTrunk(organization)
    const extension = await makeExtension(organization)
    await makePhoneNumber(organization, { number: '+4930000001' })
    await makePhoneNumber(organization, { number: '+4930000002', status: 'inactive' })
    await makePhoneNumber(organization, {
      number: '+4930000003',
      trunkId: trunk,
      routingType: 'extension',
      routingTargetId: extension.id,
    })
    const token = await tokenFor(reporter)
    const list = (qs: Record<string, unknown>) =>
      client.get('/api/v1/phone-numbers').qs(qs).bearerToken(token)
    assert.deepEqual(numbersOf((await list({ status: 'inactive' })).body()), ['+4930000002'])
    assert.deepEqual(numbersOf((await list({ routingType: 'extension' })).body()), ['+4930000003'])
    assert.deepEqual(numbersOf((await list({ trunkId: trunk })).body()), ['+4930000003'])
    ;(await list({ routingType: 'fax' })).assertStatus(422)
  })

  test('searches digits of the number (partial, formatted) or the friendly name', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    await makePhoneNumber(organization, { number: '+4930123456', friendlyName: 'Support' })
    await makePhoneNumber(organization, { number: '+4940999999', friendlyName: 'Sales 50%' })
    const token = await tokenFor(owner)
    const search = async (term: string) =>
      numbersOf(
        (await client.get('/api/v1/phone-numbers').qs({ search: term }).bearerToken(token)).body(),
      )
    assert.deepEqual(await search('30 12-34'), ['+4930123456'])
    assert.deepEqual(await search('supp'), ['+4930123456'])
    assert.deepEqual(await search('50%'), ['+4940999999'])
    assert.deepEqual(await search('nothing'), [])
  })

  test('sorts by number and created_at; an unknown sort is 422', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    await makePhoneNumber(organization, { number: '+4930000200' })
    await makePhoneNumber(organization, { number: '+4930000100' })
    const token = await tokenFor(owner)
    const list = (sort: string) =>
      client.get('/api/v1/phone-numbers').qs({ sort }).bearerToken(token)
    assert.deepEqual(numbersOf((await list('number')).body()), ['+4930000100', '+4930000200'])
    assert.deepEqual(numbersOf((await list('-number')).body()), ['+4930000200', '+4930000100'])
    assert.deepEqual(numbersOf((await list('created_at')).body()), ['+4930000200', '+4930000100'])
    const bad = await list('friendly_name')
    bad.assertStatus(422)
    assert.equal(bad.body().error.details.fields[0].field, 'sort')
  })

  test('paginates, and shows deleted rows only on request', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    for (let i = 0; i < 5; i++) await makePhoneNumber(organization)
    const gone = await makePhoneNumber(organization)
    await gone.merge({ deletedAt: gone.createdAt }).save()
    const token = await tokenFor(owner)
    const page = await client
      .get('/api/v1/phone-numbers')
      .qs({ perPage: 2, page: 3 })
      .bearerToken(token)
    assert.lengthOf(page.body().data, 1)
    assert.deepInclude(page.body().meta, { total: 5, perPage: 2, page: 3, lastPage: 3 })
    const only = await client
      .get('/api/v1/phone-numbers')
      .qs({ trashed: 'only' })
      .bearerToken(token)
    assert.deepEqual(numbersOf(only.body()), [gone.number])
    ;(
      await client.get('/api/v1/phone-numbers').qs({ perPage: 101 }).bearerToken(token)
    ).assertStatus(422)
  })
})

test.group('Phone numbers list: no N+1', (group) => {
  isolate(group)

  /*
   * The first five rows cover every target table (voicemail shares the extensions table),
   * so each batch query already runs for 5 rows; the next 45 add voicemail and hangup too.
   */
  async function addMixed(organization: Organization, count: number, offset = 0) {
    const kinds: [RoutingType, () => Promise<number | null>][] = [
      ['extension', async () => (await makeExtension(organization)).id],
      ['ring_group', () => makeStaffedRingGroup(organization)],
      ['ivr_menu', () => makeIvrMenu(organization)],
      ['business_hours', () => makeSchedule(organization)],
      ['conference_room', () => makeRoom(organization)],
      ['voicemail', async () => (await makeExtension(organization, { voicemailEnabled: true })).id],
      ['hangup', async () => null],
    ]
    for (let i = offset; i < offset + count; i++) {
      const [routingType, make] = kinds[i % kinds.length]
      await makePhoneNumber(organization, { routingType, routingTargetId: await make() })
    }
  }

  test('issues the same number of queries for 5 and for 50 numbers of mixed targets', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const list = () => client.get('/api/v1/phone-numbers').qs({ perPage: 100 }).bearerToken(token)
    await list()
    await addMixed(organization, 5)
    const few = await countQueries(list)
    await addMixed(organization, 45, 5)
    const many = await countQueries(list)
    const body = (await list()).body()
    assert.equal(body.meta.total, 50)
    const named = body.data.filter((row: { routing: { name: unknown } }) => row.routing.name)
    assert.lengthOf(
      named,
      50 -
        body.data.filter((r: { routing: { type: string } }) => r.routing.type === 'hangup').length,
    )
    assert.isAbove(few, 0)
    assert.equal(many, few)
  }).timeout(60_000)
})
