import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { countQueries } from '#tests/support/query_counter'
import { insertCdrs } from '#tests/functional/call_logs/fixtures'
import { makeExtension } from '#tests/functional/extensions/support'

const ids = (rows: { id: number }[]) => rows.map((r) => r.id)

test.group('CDRs API', (group) => {
  isolate(group)

  test('lists without the raw payload and shows one with it', async ({ client, assert }) => {
    const { reporter, organization } = await createTenant()
    const inserted = await insertCdrs(organization.id, 4)
    const token = await tokenFor(reporter)
    const list = await client.get('/api/v1/cdrs').qs({ perPage: 2 }).bearerToken(token)
    list.assertStatus(200)
    assert.deepEqual(list.body().meta, { total: 4, perPage: 2, page: 1, lastPage: 2 })
    assert.deepEqual(ids(list.body().data), [inserted[3], inserted[2]])
    assert.notProperty(list.body().data[0], 'rawCdr')

    const show = await client.get(`/api/v1/cdrs/${inserted[0]}`).bearerToken(token)
    show.assertStatus(200)
    const data = show.body().data
    assert.deepInclude(data, { disposition: 'CONNECTED', duration: 30, billsec: 25 })
    assert.strictEqual(data.ratedCost, 0.0125)
    assert.isNumber(data.sessionId)
    assert.equal(data.rawCdr.session.token, data.sessionToken)
  })

  test('filters by date range, disposition, number and extension; sorts by duration', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const [busy] = await insertCdrs(organization.id, 1, {
      disposition: 'BUSY',
      from: '1002',
      duration: 3,
      session_timestamp: new Date('2026-01-05T08:00:00Z'),
    })
    const desk = await makeExtension(organization)
    const [mine] = await insertCdrs(organization.id, 1, { extension_id: desk.id, duration: 500 })
    const [other] = await insertCdrs(organization.id, 1, { duration: 40 })
    const token = await tokenFor(owner)
    const list = async (qs: Record<string, string | number>) => {
      const response = await client.get('/api/v1/cdrs').qs(qs).bearerToken(token)
      response.assertStatus(200)
      return ids(response.body().data)
    }
    assert.deepEqual(await list({ disposition: 'busy' }), [busy])
    assert.deepEqual(await list({ to: '2026-01-31' }), [busy])
    assert.sameMembers(await list({ from: '2026-02-01' }), [mine, other])
    assert.deepEqual(await list({ number: '1002' }), [busy])
    assert.deepEqual(await list({ extensionId: desk.id }), [mine])
    assert.deepEqual(await list({ sort: '-duration' }), [mine, other, busy])
    assert.deepEqual(await list({ sort: 'session_timestamp' }), [busy, mine, other])

    const bad = await client
      .get('/api/v1/cdrs')
      .qs({ sort: 'rated_cost', disposition: 'not valid!' })
      .bearerToken(token)
    bad.assertStatus(422)
    assert.sameMembers(
      bad.body().error.details.fields.map((f: { field: string }) => f.field),
      ['sort', 'disposition'],
    )
  })

  test('one CDR per Cloudonix session: a redelivered CDR cannot be stored twice', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const other = await createTenant()
    /* Inside a savepoint, so the refused insert does not abort the test's transaction. */
    const duplicate = (overrides: Record<string, unknown>) =>
      assert.rejects(
        () => db.transaction((trx) => insertCdrs(organization.id, 1, overrides, trx)),
        /duplicate key value violates unique constraint/,
      )
    await insertCdrs(organization.id, 1, { session_token: 'a'.repeat(32) })
    await duplicate({ session_token: 'a'.repeat(32) })
    // Another tenant's session token space is its own.
    await insertCdrs(other.organization.id, 1, { session_token: 'a'.repeat(32) })
    // Without a token the SIP Call-ID is the key.
    await insertCdrs(organization.id, 1, { session_token: null, call_id: 'x@10.0.0.1' })
    await duplicate({ session_token: null, call_id: 'x@10.0.0.1' })
    const count = await db.from('call_detail_records').where('organization_id', organization.id)
    assert.lengthOf(count, 2)
  })

  for (const actor of ['owner', 'admin', 'reporter'] as const) {
    test(`${actor} sees every CDR of the organization`, async ({ client, assert }) => {
      const tenant = await createTenant()
      const inserted = await insertCdrs(tenant.organization.id, 2)
      const token = await tokenFor(tenant[actor])
      const list = await client.get('/api/v1/cdrs').bearerToken(token)
      list.assertStatus(200)
      assert.sameMembers(ids(list.body().data), inserted)
      ;(await client.get(`/api/v1/cdrs/${inserted[0]}`).bearerToken(token)).assertStatus(200)
    })
  }

  test('the list issues the same number of queries for 5 and for 50 CDRs', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const list = async () => {
      const response = await client.get('/api/v1/cdrs').qs({ perPage: 100 }).bearerToken(token)
      response.assertStatus(200)
      return response
    }
    await list()
    await insertCdrs(organization.id, 5)
    const few = await countQueries(list)
    await insertCdrs(organization.id, 45)
    const many = await countQueries(list)
    assert.lengthOf((await list()).body().data, 50)
    assert.isAbove(few, 0)
    assert.equal(many, few)
  })
})
