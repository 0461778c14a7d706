import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { countQueries } from '#tests/support/query_counter'
import { insertCallLogs } from '#tests/functional/call_logs/fixtures'
import { makeExtension } from '#tests/functional/extensions/support'

type Row = { id: number; fromNumber: string; durationSeconds: number; initiatedAt: string }
const ids = (rows: Row[]) => rows.map((r) => r.id)

test.group('Call logs API', (group) => {
  isolate(group)

  test('lists newest first with pagination and shows one call', async ({ client, assert }) => {
    const { reporter, organization } = await createTenant()
    const inserted = await insertCallLogs(organization.id, 7)
    const token = await tokenFor(reporter)
    const page = await client
      .get('/api/v1/call-logs')
      .qs({ perPage: 3, page: 2 })
      .bearerToken(token)
    page.assertStatus(200)
    assert.deepEqual(page.body().meta, { total: 7, perPage: 3, page: 2, lastPage: 3 })
    assert.deepEqual(ids(page.body().data), [inserted[3], inserted[2], inserted[1]])

    const show = await client.get(`/api/v1/call-logs/${inserted[0]}`).bearerToken(token)
    show.assertStatus(200)
    assert.deepInclude(show.body().data, {
      id: inserted[0],
      direction: 'inbound',
      status: 'completed',
      toNumber: '1001',
      durationSeconds: 10,
      hasRecording: false,
    })
    assert.notProperty(show.body().data, 'recordingKey')
    ;(await client.get('/api/v1/call-logs/999999').bearerToken(token)).assertStatus(404)
  })

  test('filters by date range, direction, status, number and extension', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const desk = await makeExtension(organization)
    const [early] = await insertCallLogs(organization.id, 1, {
      initiated_at: new Date('2026-02-27T23:30:00Z'),
      direction: 'outbound',
      status: 'busy',
      from_number: '1001',
      to_number: '+4420791234',
    })
    const [midday] = await insertCallLogs(organization.id, 1, {
      initiated_at: new Date('2026-02-28T12:00:00Z'),
      extension_id: desk.id,
      from_number: '+15550009999',
    })
    const [late] = await insertCallLogs(organization.id, 1, {
      initiated_at: new Date('2026-03-02T00:00:00Z'),
      direction: 'internal',
      status: 'no_answer',
    })
    const token = await tokenFor(owner)
    const list = async (qs: Record<string, string | number>) => {
      const response = await client.get('/api/v1/call-logs').qs(qs).bearerToken(token)
      response.assertStatus(200)
      return ids(response.body().data)
    }
    assert.sameMembers(await list({ from: '2026-02-28', to: '2026-02-28' }), [midday])
    assert.sameMembers(await list({ from: '2026-02-28' }), [midday, late])
    assert.sameMembers(await list({ to: '2026-02-28T00:00:00Z' }), [early])
    assert.sameMembers(await list({ from: '2026-02-27T23:30:00+00:00', to: '2026-02-28' }), [
      early,
      midday,
    ])
    assert.sameMembers(await list({ direction: 'outbound' }), [early])
    assert.sameMembers(await list({ status: 'no_answer' }), [late])
    assert.sameMembers(await list({ number: '4420' }), [early])
    assert.sameMembers(await list({ number: '1001' }), [early, late, midday])
    assert.sameMembers(await list({ number: '+1555000999' }), [midday])
    assert.sameMembers(await list({ extensionId: desk.id }), [midday])
  })

  test('sorts by start time or duration', async ({ client, assert }) => {
    const { admin, organization } = await createTenant()
    const [a] = await insertCallLogs(organization.id, 1, { duration_seconds: 300 })
    const [b] = await insertCallLogs(organization.id, 1, {
      duration_seconds: 5,
      initiated_at: new Date('2026-04-01T00:00:00Z'),
    })
    const [c] = await insertCallLogs(organization.id, 1, {
      duration_seconds: 60,
      initiated_at: new Date('2026-01-01T00:00:00Z'),
    })
    const [ongoing] = await insertCallLogs(organization.id, 1, {
      duration_seconds: null,
      status: 'answered',
      initiated_at: new Date('2025-12-01T00:00:00Z'),
    })
    const token = await tokenFor(admin)
    const sorted = async (sort: string) =>
      ids((await client.get('/api/v1/call-logs').qs({ sort }).bearerToken(token)).body().data)
    assert.deepEqual(await sorted('duration'), [b, c, a, ongoing])
    assert.deepEqual(await sorted('-duration'), [a, c, b, ongoing])
    assert.deepEqual(await sorted('initiated_at'), [ongoing, c, a, b])
    assert.deepEqual(await sorted('-initiated_at'), [b, a, c, ongoing])
  })

  test('unknown sort, bad dates and bad filters are 422 with field names', async ({
    client,
    assert,
  }) => {
    const { owner } = await createTenant()
    const response = await client
      .get('/api/v1/call-logs')
      .qs({
        sort: 'recording_key',
        from: '2026-13-45',
        direction: 'sideways',
        status: 'ringing-ish',
        number: "1' OR 1=1",
        perPage: 101,
        extensionId: 'x',
      })
      .bearerToken(await tokenFor(owner))
    response.assertStatus(422)
    const fields = response.body().error.details.fields.map((f: { field: string }) => f.field)
    assert.sameMembers(fields, [
      'sort',
      'from',
      'direction',
      'status',
      'number',
      'perPage',
      'extensionId',
    ])
    const reversed = await client
      .get('/api/v1/call-logs')
      .qs({ from: '2026-03-02', to: '2026-03-01' })
      .bearerToken(await tokenFor(owner))
    reversed.assertStatus(422)
    assert.equal(reversed.body().error.details.fields[0].field, 'to')
  })

  for (const actor of ['owner', 'admin', 'reporter'] as const) {
    test(`${actor} sees every call of the organization`, async ({ client, assert }) => {
      const tenant = await createTenant()
      const inserted = await insertCallLogs(tenant.organization.id, 3, { extension_id: null })
      const token = await tokenFor(tenant[actor])
      const list = await client.get('/api/v1/call-logs').bearerToken(token)
      list.assertStatus(200)
      assert.sameMembers(ids(list.body().data), inserted)
      ;(await client.get(`/api/v1/call-logs/${inserted[0]}`).bearerToken(token)).assertStatus(200)
      ;(await client.get('/api/v1/call-logs/export.csv').bearerToken(token)).assertStatus(200)
    })
  }

  test('a call id is recorded once per organization', async ({ assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    await insertCallLogs(a.organization.id, 1, { call_id: 'dded137e0000b4da9' })
    await assert.rejects(
      () =>
        db.transaction((trx) =>
          insertCallLogs(a.organization.id, 1, { call_id: 'dded137e0000b4da9' }, trx),
        ),
      /duplicate key value violates unique constraint/,
    )
    await insertCallLogs(b.organization.id, 1, { call_id: 'dded137e0000b4da9' })
  })

  test('the list issues the same number of queries for 5 and for 50 calls', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const list = async () => {
      const response = await client.get('/api/v1/call-logs').qs({ perPage: 100 }).bearerToken(token)
      response.assertStatus(200)
      return response
    }
    await list()
    await insertCallLogs(organization.id, 5)
    const few = await countQueries(list)
    await insertCallLogs(organization.id, 45)
    const many = await countQueries(list)
    assert.lengthOf((await list()).body().data, 50)
    assert.isAbove(few, 0)
    assert.equal(many, few)
  })
})
