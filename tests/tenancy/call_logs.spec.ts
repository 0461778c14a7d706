import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { insertCallLogs, insertCdrs } from '#tests/functional/call_logs/fixtures'

test.group('Tenancy: call logs and CDRs', (group) => {
  isolate(group)

  test("every call-history endpoint answers 404 for another organization's ids", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const [foreignLog] = await insertCallLogs(b.organization.id, 1, { from_number: '+19995550000' })
    const [foreignCdr] = await insertCdrs(b.organization.id, 1, { from: '+19995550000' })
    const token = await tokenFor(a.owner)
    for (const url of [`/api/v1/call-logs/${foreignLog}`, `/api/v1/cdrs/${foreignCdr}`]) {
      const response = await client.get(url).bearerToken(token)
      assert.equal(response.status(), 404, response.text())
      assert.equal(response.body().error.code, 'E_NOT_FOUND')
      assert.notInclude(response.text(), '+19995550000')
    }
  })

  test("lists and the CSV export never include another organization's calls", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const mine = await insertCallLogs(a.organization.id, 2)
    const theirs = await insertCallLogs(b.organization.id, 3, { from_number: '+19995550000' })
    const myCdrs = await insertCdrs(a.organization.id, 2)
    await insertCdrs(b.organization.id, 2, { from: '+19995550000' })
    const token = await tokenFor(a.reporter)

    const logs = await client.get('/api/v1/call-logs').qs({ perPage: 100 }).bearerToken(token)
    assert.sameMembers(
      logs.body().data.map((r: { id: number }) => r.id),
      mine,
    )
    const search = await client
      .get('/api/v1/call-logs')
      .qs({ number: '+1999555' })
      .bearerToken(token)
    assert.lengthOf(search.body().data, 0)

    const cdrs = await client.get('/api/v1/cdrs').qs({ perPage: 100 }).bearerToken(token)
    assert.sameMembers(
      cdrs.body().data.map((r: { id: number }) => r.id),
      myCdrs,
    )

    const csv = await client.get('/api/v1/call-logs/export.csv').bearerToken(token)
    csv.assertStatus(200)
    assert.notInclude(csv.text(), '+19995550000')
    const exported = csv
      .text()
      .trim()
      .split('\r\n')
      .slice(1)
      .map((line) => Number(line.split(',')[0]))
    assert.sameMembers(exported, mine)
    for (const id of theirs) assert.notInclude(exported, id)
  })
})
