import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import { FACTORY_PASSWORD, createTenant, isolate } from '#tests/helpers'
import { insertCallLogs } from '#tests/functional/call_logs/fixtures'
import { makeExtension } from '#tests/functional/extensions/support'
import { useFakeEdge } from '#tests/functional/calls/fake_edge'
import {
  SESSION_UPDATE,
  post,
  sessionUpdate,
  webhookTenant,
} from '#tests/functional/webhooks/support'
import { EventStreamReader, WebSession } from '#tests/support/web_session'
import liveCallFeed from '#services/calls/live_call_feed'

async function liveCall(organizationId: number, callId: string, status = 'answered') {
  const [id] = await insertCallLogs(organizationId, 1, {
    call_id: callId,
    status,
    from_number: '+15550001111',
    to_number: '1001',
    initiated_at: new Date(),
    answered_at: status === 'answered' ? new Date() : null,
    duration_seconds: null,
  })
  return id
}

test.group('Live calls page', (group) => {
  isolate(group)
  const fake = useFakeEdge(group)

  test('lists calls in progress for managers; others are refused', async ({ client, assert }) => {
    const { organization, admin, reporter, user } = await createTenant()
    const ringing = await liveCall(organization.id, 'live-1', 'ringing')
    await insertCallLogs(organization.id, 2, { status: 'completed', ended_at: new Date() })
    const page = await client.get('/calls/live').withGuard('web').loginAs(admin).withInertia()
    page.assertInertiaComponent('calls/live')
    const props = page.inertiaProps as any
    assert.deepEqual(
      props.calls.map((c: { id: number }) => c.id),
      [ringing],
    )
    assert.deepEqual(props.canControl, { hangup: true, transfer: true })
    for (const viewer of [reporter, user]) {
      const refused = await client.get('/calls/live').withGuard('web').loginAs(viewer)
      refused.assertStatus(403)
      const stream = await client.get('/calls/live/events').withGuard('web').loginAs(viewer)
      stream.assertStatus(403)
    }
  })

  test('the event stream delivers state changes from signed webhooks, then stops listening', async ({
    assert,
  }) => {
    const t = await webhookTenant()
    const session = await WebSession.signIn(t.admin.email, FACTORY_PASSWORD)
    const response = await session.fetch('/calls/live/events')
    assert.equal(response.status, 200)
    assert.match(String(response.headers.get('content-type')), /^text\/event-stream/)
    const stream = new EventStreamReader(response)
    try {
      await stream.next((e) => e.event === 'ready')
      assert.equal(liveCallFeed.listenerCount(t.organization.id), 1)
      const ringing = await post(
        SESSION_UPDATE,
        sessionUpdate(t.domain, 'sse-call', { status: 'ringing', callerId: '+14155550123' }),
        { bearer: t.secrets[0] },
      )
      assert.oneOf(ringing.status, [200, 202])
      const event = await stream.next((e) => e.event === 'call')
      const payload = JSON.parse(event.data)
      assert.containsSubset(payload, {
        callId: 'sse-call',
        state: 'ringing',
        call: { callId: 'sse-call', status: 'ringing', fromNumber: '+14155550123' },
      })
    } finally {
      await stream.close()
    }
    const deadline = Date.now() + 10_000
    while (liveCallFeed.listenerCount(t.organization.id) > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 25))
    assert.equal(liveCallFeed.listenerCount(t.organization.id), 0)
  })

  test('an admin hangs up and transfers through the edge; each command is audited', async ({
    client,
    assert,
  }) => {
    const { organization, admin } = await createTenant()
    await makeExtension(organization, { number: '2001' })
    const first = await liveCall(organization.id, 'hang-me')
    const second = await liveCall(organization.id, 'move-me')
    fake.edge.live.add('hang-me')
    fake.edge.live.add('move-me')

    const hangup = await client
      .post(`/calls/live/${first}/hangup`)
      .withCsrfToken()
      .withGuard('web')
      .loginAs(admin)
      .redirects(0)
    assert.equal(hangup.header('location'), '/calls/live')
    assert.match(String(hangup.flashMessages().success), /Hang-up sent/)
    assert.isFalse(fake.edge.live.has('hang-me'))

    const bad = await client
      .post(`/calls/live/${second}/transfer`)
      .withCsrfToken()
      .form({ target: 'not a number' })
      .withGuard('web')
      .loginAs(admin)
      .redirects(0)
    assert.exists((bad.flashMessages().inputErrorsBag as Record<string, string[]>).target)

    const unknown = await client
      .post(`/calls/live/${second}/transfer`)
      .withCsrfToken()
      .form({ target: '9999' })
      .withGuard('web')
      .loginAs(admin)
      .redirects(0)
    assert.match(String(unknown.flashMessages().error), /active extension number/)

    const moved = await client
      .post(`/calls/live/${second}/transfer`)
      .withCsrfToken()
      .form({ target: '2001' })
      .withGuard('web')
      .loginAs(admin)
      .redirects(0)
    assert.match(String(moved.flashMessages().success), /transferred to 2001/)
    assert.deepEqual(
      fake.edge.requests.map((r) => [r.path, r.signed]),
      [
        ['/v1/calls/hang-me/hangup', true],
        ['/v1/calls/move-me/transfer', true],
      ],
    )
    const actions = (
      await AuditLog.query().where('organization_id', organization.id).orderBy('id')
    ).map((a) => a.action)
    assert.includeMembers(actions, ['call.hung_up', 'call.transferred'])
  })

  test('a reporter cannot hang up; the edge is never asked', async ({ client, assert }) => {
    const { organization, reporter } = await createTenant()
    const id = await liveCall(organization.id, 'keep-me')
    fake.edge.live.add('keep-me')
    const response = await client
      .post(`/calls/live/${id}/hangup`)
      .withCsrfToken()
      .withGuard('web')
      .loginAs(reporter)
      .redirects(0)
    assert.equal(response.status(), 302)
    assert.exists(response.flashMessages().error)
    assert.lengthOf(fake.edge.requests, 0)
  })

  test('a hang-up without a CSRF token is refused', async ({ client, assert }) => {
    const { organization, admin } = await createTenant()
    const id = await liveCall(organization.id, 'csrf-call')
    fake.edge.live.add('csrf-call')
    const response = await client
      .post(`/calls/live/${id}/hangup`)
      .withGuard('web')
      .loginAs(admin)
      .redirects(0)
    assert.notEqual(response.header('location'), '/calls/live')
    assert.lengthOf(fake.edge.requests, 0)
  })
})
