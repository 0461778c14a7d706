import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { insertCallLogs } from '#tests/functional/call_logs/fixtures'
import { makeExtension } from '#tests/functional/extensions/support'
import { FakeEdgeControl, closedPortUrl } from '#tests/functional/calls/fake_edge'
import env from '#start/env'

/* One live call (answered, not ended) as session updates leave it in call_logs. */
async function liveCall(organizationId: number, callId: string, status = 'answered') {
  const [id] = await insertCallLogs(organizationId, 1, {
    call_id: callId,
    status,
    from_number: '+15550001111',
    to_number: '1001',
    initiated_at: new Date(),
    duration_seconds: null,
  })
  return id
}

test.group('Live call control API', (group) => {
  isolate(group)
  let edge: FakeEdgeControl
  group.each.setup(async () => {
    edge = await new FakeEdgeControl().start()
    edge.use()
    return () => edge.stop()
  })

  test('lists only calls in progress, newest first, paginated', async ({ client, assert }) => {
    const { organization, admin } = await createTenant()
    const ringing = await liveCall(organization.id, 'c-ringing', 'ringing')
    const answered = await liveCall(organization.id, 'c-answered')
    await insertCallLogs(organization.id, 3, { status: 'completed', ended_at: new Date() })
    await db
      .from('call_logs')
      .where('id', ringing)
      .update({ initiated_at: new Date(Date.now() - 60_000) })

    const token = await tokenFor(admin)
    const response = await client.get('/api/v1/calls/active').bearerToken(token)
    response.assertStatus(200)
    assert.deepEqual(
      response.body().data.map((c: { id: number }) => c.id),
      [answered, ringing],
    )
    assert.equal(response.body().meta.total, 2)

    const second = await client
      .get('/api/v1/calls/active')
      .qs({ perPage: 1, page: 2 })
      .bearerToken(token)
    assert.deepEqual(
      second.body().data.map((c: { id: number }) => c.id),
      [ringing],
    )
    const bad = await client.get('/api/v1/calls/active').qs({ perPage: 500 }).bearerToken(token)
    bad.assertStatus(422)
  })

  test('only owners and admins see and control live calls', async ({ client, assert }) => {
    const tenant = await createTenant()
    const id = await liveCall(tenant.organization.id, 'c-roles')
    edge.live.add('c-roles')
    for (const role of ['user', 'reporter'] as const) {
      const token = await tokenFor(tenant[role])
      const list = await client.get('/api/v1/calls/active').bearerToken(token)
      list.assertStatus(403)
      const hangup = await client.post(`/api/v1/calls/${id}/hangup`).bearerToken(token)
      hangup.assertStatus(403)
      const transfer = await client
        .post(`/api/v1/calls/${id}/transfer`)
        .json({ target: '1001' })
        .bearerToken(token)
      transfer.assertStatus(403)
    }
    assert.lengthOf(edge.requests, 0)
    const owner = await client.get('/api/v1/calls/active').bearerToken(await tokenFor(tenant.owner))
    owner.assertStatus(200)
  })

  test('hangup sends a signed request to the edge and is audited', async ({ client, assert }) => {
    const { organization, admin } = await createTenant()
    const id = await liveCall(organization.id, 'c-hangup@10.0.0.1')
    edge.live.add('c-hangup@10.0.0.1')

    const response = await client
      .post(`/api/v1/calls/${id}/hangup`)
      .bearerToken(await tokenFor(admin))
    response.assertStatus(200)
    response.assertBodyContains({ data: { id, callId: 'c-hangup@10.0.0.1', hungUp: true } })
    assert.lengthOf(edge.requests, 1)
    assert.deepInclude(edge.requests[0], {
      method: 'POST',
      path: '/v1/calls/c-hangup%4010.0.0.1/hangup',
      signed: true,
    })
    assert.isFalse(edge.live.has('c-hangup@10.0.0.1'))
    const audit = await AuditLog.query()
      .where('organization_id', organization.id)
      .where('action', 'call.hung_up')
      .firstOrFail()
    assert.equal(audit.subjectId, String(id))
    assert.equal(audit.actorUserId, admin.id)
  })

  test('a call the edge does not know is a 404 and nothing is audited', async ({
    client,
    assert,
  }) => {
    const { organization, admin } = await createTenant()
    const id = await liveCall(organization.id, 'c-gone')
    const token = await tokenFor(admin)
    const response = await client.post(`/api/v1/calls/${id}/hangup`).bearerToken(token)
    response.assertStatus(404)
    assert.equal(response.body().error.code, 'E_CALL_NOT_FOUND')

    const [ended] = await insertCallLogs(organization.id, 1, {
      status: 'completed',
      ended_at: new Date(),
    })
    const finished = await client.post(`/api/v1/calls/${ended}/hangup`).bearerToken(token)
    finished.assertStatus(404)
    assert.equal(finished.body().error.code, 'E_NOT_FOUND')
    assert.lengthOf(edge.requests, 1, 'an ended call never reaches the edge')
    const audits = await AuditLog.query()
      .where('organization_id', organization.id)
      .where('action', 'like', 'call.%')
    assert.lengthOf(audits, 0)
  })

  test('transfer to an own extension or an allowed E.164 number', async ({ client, assert }) => {
    const { organization, admin } = await createTenant()
    await makeExtension(organization, { number: '2001' })
    await makeExtension(organization, { number: '2002', status: 'inactive' })
    await db.table('outbound_rules').insert({
      organization_id: organization.id,
      kind: 'allow',
      prefix: '+44',
      created_at: new Date(),
      updated_at: new Date(),
    })
    const id = await liveCall(organization.id, 'c-transfer')
    edge.live.add('c-transfer')
    const token = await tokenFor(admin)
    const transfer = (target: unknown) =>
      client.post(`/api/v1/calls/${id}/transfer`).json({ target }).bearerToken(token)

    const toExtension = await transfer('2001')
    toExtension.assertStatus(200)
    toExtension.assertBodyContains({
      data: { transferred: true, target: '2001', targetKind: 'extension' },
    })
    assert.deepEqual(JSON.parse(edge.requests[0].body), { target: '2001' })
    assert.isTrue(edge.requests[0].signed)

    const toPstn = await transfer('+442071234567')
    toPstn.assertStatus(200)
    toPstn.assertBodyContains({ data: { targetKind: 'pstn' } })

    for (const [target, rule] of [
      ['2002', 'transferTarget'], // inactive extension
      ['9999', 'transferTarget'], // no such extension
      ['+15551234567', 'outboundPolicy'], // not on the whitelist
      ['+19005551234', 'outboundPolicy'], // premium rate
    ] as const) {
      const refused = await transfer(target)
      refused.assertStatus(422)
      assert.equal(refused.body().error.details.fields[0].field, 'target', target)
      assert.equal(refused.body().error.details.fields[0].rule, rule, target)
    }
    // A tenant suspended by the toll-fraud guard cannot transfer out either.
    await db.from('organizations').where('id', organization.id).update({
      outbound_suspended_at: new Date(),
      outbound_suspension_reason: 'test',
    })
    const suspended = await transfer('+442071234567')
    suspended.assertStatus(422)
    assert.equal(suspended.body().error.details.fields[0].rule, 'outboundSuspended')
    edge.ringing.add('c-transfer')
    const ringing = await transfer('2001')
    ringing.assertStatus(409)
    assert.equal(ringing.body().error.code, 'E_CALL_NOT_ANSWERED')
    edge.ringing.delete('c-transfer')

    const missing = await transfer(undefined)
    missing.assertStatus(422)
    assert.equal(missing.body().error.details.fields[0].field, 'target')
    const garbage = await transfer('sip:evil@example.com')
    garbage.assertStatus(422)

    assert.lengthOf(edge.requests, 3, 'refused targets never reach the edge')
    const audits = await AuditLog.query()
      .where('organization_id', organization.id)
      .where('action', 'call.transferred')
      .orderBy('id')
    assert.deepEqual(
      audits.map((a) => (a.metadata as { target: string }).target),
      ['2001', '+442071234567'],
    )
  })

  test('edge down, slow or mis-keyed: clear 503/502, never a 500', async ({ client, assert }) => {
    const { organization, admin } = await createTenant()
    const id = await liveCall(organization.id, 'c-down')
    edge.live.add('c-down')
    const token = await tokenFor(admin)

    env.set('VOIP_EDGE_CONTROL_URL', await closedPortUrl())
    const down = await client.post(`/api/v1/calls/${id}/hangup`).bearerToken(token)
    down.assertStatus(503)
    assert.equal(down.body().error.code, 'E_EDGE_UNAVAILABLE')
    assert.include(down.body().error.message, 'unreachable')

    edge.use()
    edge.delayMs = 5000
    const slow = await client.post(`/api/v1/calls/${id}/hangup`).bearerToken(token)
    slow.assertStatus(503)
    assert.include(slow.body().error.message, 'did not answer within')
    edge.delayMs = 0

    const wrongKey = await new FakeEdgeControl('another-secret-0123456789abcdef0123').start()
    try {
      wrongKey.use()
      wrongKey.live.add('c-down')
      const refused = await client.post(`/api/v1/calls/${id}/hangup`).bearerToken(token)
      refused.assertStatus(502)
      assert.equal(refused.body().error.code, 'E_EDGE_REJECTED')
    } finally {
      await wrongKey.stop()
    }

    env.set('VOIP_EDGE_CONTROL_URL', '')
    const unconfigured = await client.post(`/api/v1/calls/${id}/hangup`).bearerToken(token)
    unconfigured.assertStatus(503)
    assert.include(unconfigured.body().error.message, 'VOIP_EDGE_CONTROL_URL')
    const audits = await AuditLog.query()
      .where('organization_id', organization.id)
      .where('action', 'like', 'call.%')
    assert.lengthOf(audits, 0)
  }).timeout(60_000)

  test('read-only tokens cannot control calls', async ({ client }) => {
    const { organization, admin } = await createTenant()
    const id = await liveCall(organization.id, 'c-ro')
    const token = await tokenFor(admin, ['read'])
    const response = await client.post(`/api/v1/calls/${id}/hangup`).bearerToken(token)
    response.assertStatus(403)
  })

  test('with several edges the command reaches the one carrying the call', async ({
    client,
    assert,
  }) => {
    const { organization, admin } = await createTenant()
    await makeExtension(organization, { number: '2101' })
    const other = await new FakeEdgeControl().start()
    try {
      env.set('VOIP_EDGE_CONTROL_URL', `${edge.url}, ${other.url}`)
      const id = await liveCall(organization.id, 'c-multi')
      other.live.add('c-multi')
      const token = await tokenFor(admin)

      const transfer = await client
        .post(`/api/v1/calls/${id}/transfer`)
        .json({ target: '2101' })
        .bearerToken(token)
      transfer.assertStatus(200)
      const hangup = await client.post(`/api/v1/calls/${id}/hangup`).bearerToken(token)
      hangup.assertStatus(200)
      assert.isFalse(other.live.has('c-multi'))
      assert.lengthOf(edge.requests, 2, 'the other edge was asked too, and said not found')
      assert.isTrue([...edge.requests, ...other.requests].every((r) => r.signed))

      // Gone everywhere: 404. One edge unreachable and the other without the call: 503,
      // since the call may be on the edge that cannot answer.
      const gone = await client.post(`/api/v1/calls/${id}/hangup`).bearerToken(token)
      gone.assertStatus(404)
      env.set('VOIP_EDGE_CONTROL_URL', `${edge.url},${await closedPortUrl()}`)
      const unsure = await client.post(`/api/v1/calls/${id}/hangup`).bearerToken(token)
      unsure.assertStatus(503)
      // …but the edge that has the call still acts while another is down.
      edge.live.add('c-multi')
      const despite = await client.post(`/api/v1/calls/${id}/hangup`).bearerToken(token)
      despite.assertStatus(200)
    } finally {
      await other.stop()
    }
  })
})
