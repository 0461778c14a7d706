import { test } from '@japa/runner'
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

test.group('Tenancy: call history and live call pages', (group) => {
  isolate(group)
  const fake = useFakeEdge(group)

  test("another organization's call is a 404 everywhere and never reaches the edge", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    await makeExtension(a.organization, { number: '3001' })
    const [foreign] = await insertCallLogs(b.organization.id, 1, {
      call_id: 'foreign-live',
      status: 'answered',
      from_number: '+19990001111',
    })
    fake.edge.live.add('foreign-live')

    const details = await client.get(`/calls/${foreign}`).withGuard('web').loginAs(a.owner)
    details.assertStatus(404)
    assert.notInclude(details.text(), '+19990001111')
    for (const [path, form] of [
      [`/calls/live/${foreign}/hangup`, {}],
      [`/calls/live/${foreign}/transfer`, { target: '3001' }],
    ] as const) {
      const response = await client
        .post(path)
        .withCsrfToken()
        .form(form)
        .withGuard('web')
        .loginAs(a.owner)
        .redirects(0)
      assert.match(String(response.flashMessages().error), /not found/i)
    }
    assert.lengthOf(fake.edge.requests, 0)
    assert.isTrue(fake.edge.live.has('foreign-live'))

    const list = await client.get('/calls').withGuard('web').loginAs(a.owner).withInertia()
    assert.equal((list.inertiaProps as any).calls.meta.total, 0)
    const live = await client.get('/calls/live').withGuard('web').loginAs(a.owner).withInertia()
    assert.lengthOf((live.inertiaProps as any).calls, 0)
    const csv = await client.get('/calls/export.csv').withGuard('web').loginAs(a.owner)
    assert.notInclude(csv.text(), '+19990001111')
  })

  test("one organization's event stream never carries another's calls", async ({ assert }) => {
    const a = await webhookTenant()
    const b = await webhookTenant()
    const session = await WebSession.signIn(a.owner.email, FACTORY_PASSWORD)
    const stream = new EventStreamReader(await session.fetch('/calls/live/events'))
    try {
      await stream.next((e) => e.event === 'ready')
      await post(SESSION_UPDATE, sessionUpdate(b.domain, 'b-call', { status: 'ringing' }), {
        bearer: b.secrets[0],
      })
      await post(SESSION_UPDATE, sessionUpdate(a.domain, 'a-call', { status: 'ringing' }), {
        bearer: a.secrets[0],
      })
      // Events arrive in publish order: once A's call is here, B's would have been too.
      const event = await stream.next((e) => e.event === 'call')
      assert.equal(JSON.parse(event.data).callId, 'a-call')
      assert.notInclude(stream.events.map((e) => e.data).join(''), 'b-call')
    } finally {
      await stream.close()
    }
  })
})
