import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { insertCallLogs } from '#tests/functional/call_logs/fixtures'
import { assertEachNotFound } from '#tests/tenancy/support'

async function addEvent(organizationId: number, callLogId: number, status: string) {
  const now = new Date()
  await db.table('call_events').insert({
    organization_id: organizationId,
    call_log_id: callLogId,
    source: 'session-update',
    status,
    state: 'ringing',
    previous_state: 'initiated',
    applied: true,
    occurred_at: now,
    received_at: now,
    details: JSON.stringify({ reason: status }),
  })
}

test.group('Tenancy: call timeline', (group) => {
  isolate(group)

  test("another organization's call timeline is a 404 that discloses nothing", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const [theirs] = await insertCallLogs(b.organization.id, 1, { from_number: '+19995550000' })
    await addEvent(b.organization.id, theirs, 'foreign-status')
    await assertEachNotFound(
      assert,
      [client.get(`/api/v1/call-logs/${theirs}/timeline`)],
      await tokenFor(a.owner),
      ['foreign-status', '+19995550000'],
    )
  })

  test('a timeline holds only its own call events', async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    const [mine] = await insertCallLogs(a.organization.id, 1)
    const [theirs] = await insertCallLogs(b.organization.id, 1)
    await addEvent(a.organization.id, mine, 'mine')
    await addEvent(b.organization.id, theirs, 'theirs')
    const response = await client
      .get(`/api/v1/call-logs/${mine}/timeline`)
      .bearerToken(await tokenFor(a.owner))
    response.assertStatus(200)
    assert.deepEqual(
      response.body().data.map((e: { status: string }) => e.status),
      ['mine'],
    )
  })
})
