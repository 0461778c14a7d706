import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import CdrReceivedJob from '#jobs/cdr_received_job'
import { isolate, tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { makeDid } from '#tests/functional/voice/support'
import {
  CDR,
  cdr,
  post,
  webhookTenant,
  type WebhookTenant,
} from '#tests/functional/webhooks/support'

/* Stores the CDR through the webhook, then runs its call.cdr_received job as the worker does. */
async function storeAndEnrich(t: WebhookTenant, body: ReturnType<typeof cdr>) {
  const response = await post(CDR, body, { bearer: t.secrets[0] })
  if (response.status !== 200) throw new Error(`CDR: ${response.status} ${response.text}`)
  const stored = await db
    .from('call_detail_records')
    .where('organization_id', t.organization.id)
    .where('session_token', body.session.token)
    .firstOrFail()
  await new CdrReceivedJob().run(
    { organizationId: t.organization.id, cdrId: stored.id },
    logger.child({}),
  )
  const call = await db
    .from('call_logs')
    .where('organization_id', t.organization.id)
    .where('call_id', body.session.token)
    .firstOrFail()
  const after = await db.from('call_detail_records').where('id', stored.id).firstOrFail()
  return { call, cdr: after }
}

const didId = async (number: string) =>
  Number((await db.from('phone_numbers').where('number', number).firstOrFail()).id)

test.group('call.cdr_received: CDR enrichment', (group) => {
  isolate(group)

  test('an inbound call is linked to the DID it came in on', async ({ assert }) => {
    const t = await webhookTenant()
    const did = await makeDid(t.organization, 'hangup', null)
    const { call } = await storeAndEnrich(
      t,
      cdr(t.domain, 'enrich-in', { from: '+14155550100', to: did.slice(1) }),
    )
    assert.equal(call.phone_number_id, await didId(did))
    assert.isNull(call.extension_id)
  })

  test("an outbound call is linked to the subscriber's extension and the caller-ID DID", async ({
    assert,
  }) => {
    const t = await webhookTenant()
    const phone = await makeExtension(t.organization, { number: '1004' })
    const did = await makeDid(t.organization, 'hangup', null)
    const { call, cdr: row } = await storeAndEnrich(
      t,
      cdr(t.domain, 'enrich-out', { subscriber: '1004', from: did, to: '+442071234567' }),
    )
    assert.equal(call.extension_id, phone.id)
    assert.equal(row.extension_id, phone.id)
    assert.equal(call.phone_number_id, await didId(did))
  })

  test("another tenant's extension or number is never linked", async ({ assert }) => {
    const t = await webhookTenant()
    const other = await webhookTenant()
    await makeExtension(other.organization, { number: '1004' })
    const theirDid = await makeDid(other.organization, 'hangup', null)
    const { call, cdr: row } = await storeAndEnrich(
      t,
      cdr(t.domain, 'enrich-foreign', { subscriber: '1004', from: theirDid, to: '+442071234567' }),
    )
    assert.isNull(call.extension_id)
    assert.isNull(call.phone_number_id)
    assert.isNull(row.extension_id)
  })

  test('a retried job changes nothing, and a PBX user now sees the call as theirs', async ({
    assert,
    client,
  }) => {
    const t = await webhookTenant()
    const phone = await makeExtension(t.organization, { number: '2001', userId: t.user.id })
    const body = cdr(t.domain, 'enrich-user', { from: '+14155550100', to: '2001' })
    const first = await storeAndEnrich(t, body)
    assert.equal(first.call.extension_id, phone.id)
    const again = await new CdrReceivedJob().run(
      { organizationId: t.organization.id, cdrId: first.cdr.id },
      logger.child({}),
    )
    assert.isUndefined(again)
    const row = await db.from('call_logs').where('id', first.call.id).firstOrFail()
    assert.equal(row.extension_id, phone.id)
    assert.equal(row.updated_at.getTime(), first.call.updated_at.getTime())

    const mine = await client.get('/api/v1/call-logs').bearerToken(await tokenFor(t.user))
    mine.assertStatus(200)
    assert.deepEqual(
      mine.body().data.map((c: { id: number }) => c.id),
      [first.call.id],
    )
  })
})
