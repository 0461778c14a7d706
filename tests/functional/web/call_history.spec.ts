import { test } from '@japa/runner'
import storage, { tenantKey } from '#services/storage/storage'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate } from '#tests/helpers'
import { insertCallLogs, insertCdrs } from '#tests/functional/call_logs/fixtures'
import { makeExtension } from '#tests/functional/extensions/support'
import {
  SESSION_UPDATE,
  post,
  sessionUpdate,
  webhookTenant,
} from '#tests/functional/webhooks/support'

type Row = { id: number; fromNumber: string; durationSeconds: number | null }

test.group('Call history pages', (group) => {
  isolate(group)

  test('filters, sorts and paginates like the API', async ({ client, assert }) => {
    const { organization, reporter } = await createTenant()
    const ext = await makeExtension(organization, { number: '1201' })
    await insertCallLogs(organization.id, 30, { extension_id: ext.id })
    await insertCallLogs(organization.id, 2, { from_number: '+4420700001', direction: 'outbound' })

    const first = await client.get('/calls').withGuard('web').loginAs(reporter).withInertia()
    first.assertInertiaComponent('calls/index')
    const props = first.inertiaProps as any
    assert.equal(props.calls.meta.total, 32)
    assert.lengthOf(props.calls.data, 25)
    assert.deepEqual(props.extensions, [{ id: ext.id, number: '1201', name: ext.name }])

    const filtered = await client
      .get('/calls')
      .qs({ number: '4420700', direction: 'outbound' })
      .withGuard('web')
      .loginAs(reporter)
      .withInertia()
    const rows = (filtered.inertiaProps as any).calls.data as Row[]
    assert.deepEqual(
      rows.map((r) => r.fromNumber),
      ['+4420700001', '+4420700001'],
    )

    const byDuration = await client
      .get('/calls')
      .qs({ sort: 'duration', extensionId: ext.id, page: 2 })
      .withGuard('web')
      .loginAs(reporter)
      .withInertia()
    const durations = ((byDuration.inertiaProps as any).calls.data as Row[]).map(
      (r) => r.durationSeconds,
    )
    assert.deepEqual(durations, [35, 36, 37, 38, 39])

    const bad = await client
      .get('/calls')
      .qs({ sort: 'from_number' })
      .withGuard('web')
      .loginAs(reporter)
      .redirects(0)
    assert.equal(bad.header('location'), '/calls')
    assert.match(String(bad.flashMessages().error), /^Filters ignored: /)
  })

  test('a PBX user sees only their own extensions calls; details of others are a 404', async ({
    client,
    assert,
  }) => {
    const { organization, user } = await createTenant()
    const mine = await makeExtension(organization, { number: '1301', userId: user.id })
    const other = await makeExtension(organization, { number: '1302' })
    const [own] = await insertCallLogs(organization.id, 1, { extension_id: mine.id })
    const [foreign] = await insertCallLogs(organization.id, 3, { extension_id: other.id })

    const page = await client.get('/calls').withGuard('web').loginAs(user).withInertia()
    const props = page.inertiaProps as any
    assert.deepEqual(
      props.calls.data.map((r: Row) => r.id),
      [own],
    )
    assert.deepEqual(
      props.extensions.map((e: { number: string }) => e.number),
      ['1301'],
    )
    const details = await client.get(`/calls/${own}`).withGuard('web').loginAs(user).withInertia()
    details.assertInertiaComponent('calls/show')
    const hidden = await client.get(`/calls/${foreign}`).withGuard('web').loginAs(user)
    hidden.assertStatus(404)
  })

  test('details show the timeline from state timestamps and CDRs, and play the recording', async ({
    client,
    assert,
  }) => {
    const { organization, admin } = await createTenant()
    const key = tenantKey(organization.id, 'recordings', 'wav')
    await storage.put(key, Buffer.from('RIFF....WAVEfmt fake audio'))
    const [id] = await insertCallLogs(organization.id, 1, {
      call_id: 'timeline-call',
      answered_at: new Date('2026-03-01T10:00:05Z'),
      ended_at: new Date('2026-03-01T10:01:05Z'),
      recording_key: key,
    })
    await insertCdrs(organization.id, 1, { call_id: 'timeline-call', disposition: 'CONNECTED' })
    const page = await client.get(`/calls/${id}`).withGuard('web').loginAs(admin).withInertia()
    const props = page.inertiaProps as any
    assert.equal(props.call.answeredAt, '2026-03-01T10:00:05.000+00:00')
    assert.lengthOf(props.cdrs, 1)
    assert.equal(props.cdrs[0].disposition, 'CONNECTED')
    assert.match(props.call.recordingUrl, /^\/files\//)
    const audio = await client.get(props.call.recordingUrl)
    audio.assertStatus(200)
    assert.equal(audio.header('content-type'), 'audio/wav')
    await storage.delete(key)
  })

  test('details carry the stored session-update timeline of a webhook-built call', async ({
    client,
    assert,
  }) => {
    const t = await webhookTenant()
    const sent = ['ringing', 'connected', 'ringing']
    for (const [i, status] of sent.entries())
      await post(
        SESSION_UPDATE,
        sessionUpdate(t.domain, 'timeline-web', {
          status,
          callStartTime: 1767089379000,
          callAnswerTime: 1767089386000,
          modifiedAt: `2025-12-30T10:10:0${i}Z`,
        }),
        { bearer: t.secrets[0] },
      )
    const log = await db
      .from('call_logs')
      .where('organization_id', t.organization.id)
      .where('call_id', 'timeline-web')
      .first()
    const page = await client
      .get(`/calls/${log.id}`)
      .withGuard('web')
      .loginAs(t.admin)
      .withInertia()
    const timeline = (page.inertiaProps as any).timeline as {
      status: string
      applied: boolean
      state: string
    }[]
    // In the sender's time order: the late duplicate 'ringing' sits with the first one and
    // changed nothing; the answer came 7 s later.
    assert.deepEqual(
      timeline.map((e) => [e.status, e.applied]),
      [
        ['ringing', true],
        ['ringing', false],
        ['connected', true],
      ],
    )
  })

  test('CSV export follows the filters and the viewer scope', async ({ client, assert }) => {
    const { organization, owner } = await createTenant()
    await insertCallLogs(organization.id, 3, { direction: 'inbound' })
    await insertCallLogs(organization.id, 2, { direction: 'outbound', from_number: '+15550009999' })
    const response = await client
      .get('/calls/export.csv')
      .qs({ direction: 'outbound' })
      .withGuard('web')
      .loginAs(owner)
    response.assertStatus(200)
    assert.match(String(response.header('content-type')), /^text\/csv/)
    assert.match(String(response.header('content-disposition')), /attachment; filename="call-logs-/)
    const lines = response.text().trim().split('\r\n')
    assert.lengthOf(lines, 3)
    assert.isTrue(lines.slice(1).every((l) => l.includes(',outbound,+15550009999,')))
    const [{ n }] = await db
      .from('call_logs')
      .where('organization_id', organization.id)
      .count('* as n')
    assert.equal(Number(n), 5)
  })
})
