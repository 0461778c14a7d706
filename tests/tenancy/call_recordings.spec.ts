import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { insertCallLogs } from '#tests/functional/call_logs/fixtures'
import { assertEachNotFound } from '#tests/tenancy/support'
import storage, { tenantKey } from '#services/storage/storage'

test.group('Tenancy: call recordings', (group) => {
  isolate(group)

  test("another organization's recorded call is a 404 on /recording, its own owner gets the signed URL", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const [theirs] = await insertCallLogs(b.organization.id, 1, { from_number: '+19995550001' })
    const key = tenantKey(b.organization.id, 'recordings', 'wav')
    await storage.put(key, Buffer.from('RIFF....WAVEfmt '))
    await db.from('call_logs').where('id', theirs).update({ recording_key: key })
    await assertEachNotFound(
      assert,
      [client.get(`/api/v1/call-logs/${theirs}/recording`)],
      await tokenFor(a.owner),
      ['+19995550001', key],
    )
    const own = await client
      .get(`/api/v1/call-logs/${theirs}/recording`)
      .bearerToken(await tokenFor(b.owner))
    own.assertStatus(200)
    assert.match(own.body().data.url, /\/files\//)
  })
})
