import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { insertCallLogs, insertCdrs } from '#tests/functional/call_logs/fixtures'

async function extension(organizationId: number, userId: number | null, number: string) {
  const [row] = await db
    .table('extensions')
    .insert({
      organization_id: organizationId,
      user_id: userId,
      number,
      name: `Ext ${number}`,
      created_at: new Date(),
      updated_at: new Date(),
    })
    .returning('id')
  return row.id as number
}

test.group('Call history seen by a PBX user', (group) => {
  isolate(group)

  test('a PBX user sees only the calls of extensions assigned to them', async ({
    client,
    assert,
  }) => {
    const { user, admin, organization } = await createTenant()
    const mine = await extension(organization.id, user.id, '1001')
    const colleague = await extension(organization.id, admin.id, '1002')
    const myLogs = await insertCallLogs(organization.id, 2, { extension_id: mine })
    const [theirLog] = await insertCallLogs(organization.id, 1, {
      extension_id: colleague,
      from_number: '+15557770000',
    })
    const [unassigned] = await insertCallLogs(organization.id, 1, { extension_id: null })
    const [myCdr] = await insertCdrs(organization.id, 1, { extension_id: mine })
    const [theirCdr] = await insertCdrs(organization.id, 1, { extension_id: colleague })
    const token = await tokenFor(user)

    const list = await client.get('/api/v1/call-logs').bearerToken(token)
    list.assertStatus(200)
    assert.sameMembers(
      list.body().data.map((r: { id: number }) => r.id),
      myLogs,
    )
    ;(await client.get(`/api/v1/call-logs/${myLogs[0]}`).bearerToken(token)).assertStatus(200)
    ;(await client.get(`/api/v1/call-logs/${theirLog}`).bearerToken(token)).assertStatus(404)
    ;(await client.get(`/api/v1/call-logs/${unassigned}`).bearerToken(token)).assertStatus(404)
    // Filtering on a colleague's extension does not widen the view.
    const filtered = await client
      .get('/api/v1/call-logs')
      .qs({ extensionId: colleague })
      .bearerToken(token)
    assert.lengthOf(filtered.body().data, 0)

    const csv = await client.get('/api/v1/call-logs/export.csv').bearerToken(token)
    csv.assertStatus(200)
    assert.notInclude(csv.text(), '+15557770000')
    assert.lengthOf(csv.text().trim().split('\r\n'), 3)

    const cdrs = await client.get('/api/v1/cdrs').bearerToken(token)
    assert.deepEqual(
      cdrs.body().data.map((r: { id: number }) => r.id),
      [myCdr],
    )
    ;(await client.get(`/api/v1/cdrs/${theirCdr}`).bearerToken(token)).assertStatus(404)
  })

  test('a PBX user without an extension, or whose extension was removed, sees no calls', async ({
    client,
    assert,
  }) => {
    const { user, organization } = await createTenant()
    const token = await tokenFor(user)
    const removed = await extension(organization.id, user.id, '1003')
    await insertCallLogs(organization.id, 2, { extension_id: removed })
    await db.from('extensions').where('id', removed).update({ deleted_at: new Date() })
    const list = await client.get('/api/v1/call-logs').bearerToken(token)
    list.assertStatus(200)
    assert.lengthOf(list.body().data, 0)
    assert.equal(list.body().meta.total, 0)
  })
})
