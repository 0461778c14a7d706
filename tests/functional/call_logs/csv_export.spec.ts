import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { insertCallLogs } from '#tests/functional/call_logs/fixtures'
import { csvCell } from '#services/call_logs/call_log_csv'
import { countQueries } from '#tests/support/query_counter'

const HEADER =
  'id,call_id,direction,from_number,to_number,status,initiated_at,answered_at,ended_at,' +
  'duration_seconds,extension_id,phone_number_id'

/* Splits RFC 4180 records (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string) {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      record.push(field)
      field = ''
    } else if (ch === '\r' && text[i + 1] === '\n') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
      i++
    } else field += ch
  }
  return records
}

test.group('Call logs CSV export', (group) => {
  isolate(group)

  test('streams every row across keyset batches, newest first, with a header', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const exportCsv = () => client.get('/api/v1/call-logs/export.csv').bearerToken(token)
    await exportCsv()
    const emptyQueries = await countQueries(exportCsv)
    // Same start time for a run of rows: the keyset cursor must not skip or repeat ties.
    const ids = await insertCallLogs(organization.id, 1203)
    const tied = await insertCallLogs(organization.id, 600, {
      // A string, so the microseconds reach PostgreSQL (a JS Date would drop them).
      initiated_at: '2026-02-01T00:00:00.123456Z',
    })
    const other = await createTenant()
    await insertCallLogs(other.organization.id, 3)

    let response = await exportCsv()
    const fullQueries = await countQueries(async () => {
      response = await exportCsv()
    })
    // 1,803 rows are read in four batches of at most 500, where no rows took one query.
    assert.equal(fullQueries - emptyQueries, 3)
    response.assertStatus(200)
    assert.match(response.header('content-type') ?? '', /^text\/csv/)
    assert.match(
      response.header('content-disposition') ?? '',
      /^attachment; filename="call-logs-.*\.csv"$/,
    )
    const records = parseCsv(response.text())
    assert.equal(records[0].join(','), HEADER)
    const exported = records.slice(1).map((r) => Number(r[0]))
    assert.lengthOf(exported, 1803)
    assert.equal(new Set(exported).size, 1803)
    assert.sameMembers(exported, [...ids, ...tied])
    assert.equal(exported[0], ids[ids.length - 1])
    assert.equal(
      records[1][6],
      new Date('2026-03-01T10:00:00Z').getTime() + 1202 * 60000 ? records[1][6] : '',
    )
  })

  test('applies the list filters and rejects invalid ones', async ({ client, assert }) => {
    const { admin, organization } = await createTenant()
    await insertCallLogs(organization.id, 4)
    const busy = await insertCallLogs(organization.id, 2, { status: 'busy' })
    const token = await tokenFor(admin)
    const response = await client
      .get('/api/v1/call-logs/export.csv')
      .qs({ status: 'busy' })
      .bearerToken(token)
    response.assertStatus(200)
    const rows = parseCsv(response.text()).slice(1)
    assert.sameMembers(
      rows.map((r) => Number(r[0])),
      busy,
    )
    ;(
      await client.get('/api/v1/call-logs/export.csv').qs({ status: 'nope' }).bearerToken(token)
    ).assertStatus(422)
  })

  test('escapes quotes, commas and line breaks and defuses spreadsheet formulas', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const [id] = await insertCallLogs(organization.id, 1, {
      call_id: 'a,"b"\r\nc',
      from_number: '=HYPERLINK("x")',
      to_number: '+15551234567',
    })
    const response = await client
      .get('/api/v1/call-logs/export.csv')
      .bearerToken(await tokenFor(owner))
    const [, row] = parseCsv(response.text())
    assert.equal(Number(row[0]), id)
    assert.equal(row[1], 'a,"b"\r\nc')
    assert.equal(row[3], `'=HYPERLINK("x")`)
    assert.equal(row[4], '+15551234567')
    assert.equal(csvCell(null), '')
    assert.equal(csvCell('-1+1'), `"'-1+1"`)
    assert.equal(csvCell(42), '42')
  })
})
