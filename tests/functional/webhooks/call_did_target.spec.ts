import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import PhoneNumber from '#models/phone_number'
import { isolate } from '#tests/helpers'
import { makeDid, makeExtension, makeRingGroup } from '#tests/functional/voice/support'
import {
  CDR,
  SESSION_UPDATE,
  cdr,
  post,
  sessionUpdate,
  webhookTenant,
} from '#tests/functional/webhooks/support'

function didRow(organizationId: number, number: string) {
  return PhoneNumber.query()
    .withScopes((s) => s.forOrganization(organizationId))
    .where('number', number)
    .firstOrFail()
}

async function callRow(organizationId: number, token: string) {
  const row = await db
    .from('call_logs')
    .where('organization_id', organizationId)
    .where('call_id', token)
    .firstOrFail()
  return [row.phone_number_id, row.routing_target_type, row.routing_target_id]
}

test.group('Call logs: the DID and routing target of inbound calls', (group) => {
  isolate(group)

  test('an inbound call keeps the DID and the target it routed to when it arrived', async ({
    assert,
  }) => {
    const t = await webhookTenant()
    const ringGroup = await makeRingGroup(t.organization, [await makeExtension(t.organization)])
    const did = await makeDid(t.organization, 'ring_group', ringGroup.id)
    const row = await didRow(t.organization.id, did)
    const token = 'did-target-1'
    const first = sessionUpdate(t.domain, token, { destination: did, status: 'ringing' })
    assert.equal((await post(SESSION_UPDATE, first, { bearer: t.secrets[0] })).status, 200)
    assert.deepEqual(await callRow(t.organization.id, token), [row.id, 'ring_group', ringGroup.id])

    // Re-routing the DID afterwards does not rewrite the history of a call already routed.
    await row.merge({ routingType: 'hangup', routingTargetId: null }).save()
    const next = sessionUpdate(t.domain, token, { destination: did, status: 'connected' })
    assert.equal((await post(SESSION_UPDATE, next, { bearer: t.secrets[0] })).status, 200)
    assert.deepEqual(await callRow(t.organization.id, token), [row.id, 'ring_group', ringGroup.id])
  })

  test('a CDR arriving first records them too', async ({ assert }) => {
    const t = await webhookTenant()
    const extension = await makeExtension(t.organization)
    const did = await makeDid(t.organization, 'extension', extension.id)
    const row = await didRow(t.organization.id, did)
    const body = cdr(t.domain, 'did-target-cdr', { to: did })
    assert.equal((await post(CDR, body, { bearer: t.secrets[0] })).status, 200)
    assert.deepEqual(await callRow(t.organization.id, 'did-target-cdr'), [
      row.id,
      'extension',
      extension.id,
    ])
  })

  test("an outgoing call to another tenant's DID records no DID", async ({ assert }) => {
    const t = await webhookTenant()
    const other = await webhookTenant()
    const theirs = await makeDid(other.organization, 'hangup', null)
    const update = sessionUpdate(t.domain, 'did-target-out', {
      destination: theirs,
      direction: 'outgoing',
    })
    assert.equal((await post(SESSION_UPDATE, update, { bearer: t.secrets[0] })).status, 200)
    assert.deepEqual(await callRow(t.organization.id, 'did-target-out'), [null, null, null])
  })
})
