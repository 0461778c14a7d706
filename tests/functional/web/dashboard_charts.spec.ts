import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import redis from '@adonisjs/redis/services/main'
import { createTenant, isolate } from '#tests/helpers'
import { insertCallLogs } from '#tests/functional/call_logs/fixtures'
import { makeExtension } from '#tests/functional/extensions/support'
import DashboardStats, { SERIES_DAYS } from '#services/dashboard/dashboard_stats'
import RegisteredDevices, { bindingKey } from '#services/dashboard/registered_devices'
import env from '#start/env'
import { BindingStore } from '../../../voip-edge/src/registrar/binding_store.js'

test.group('Dashboard charts and devices', (group) => {
  isolate(group)

  test('calls per hour and per day are bucketed in the organization timezone', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    organization.timezone = 'America/New_York'
    await organization.save()
    // 14:30 UTC on a winter day is 09:30 in New York.
    const now = DateTime.fromISO('2026-01-15T18:00:00Z')
    await insertCallLogs(organization.id, 3, {
      initiated_at: new Date('2026-01-15T14:30:00Z'),
      answered_at: new Date('2026-01-15T14:30:05Z'),
    })
    await insertCallLogs(organization.id, 1, {
      initiated_at: new Date('2026-01-15T14:59:00Z'),
      status: 'no_answer',
    })
    // 03:00 UTC on the 15th is still the 14th in New York.
    await insertCallLogs(organization.id, 2, { initiated_at: new Date('2026-01-15T03:00:00Z') })
    // Older than the window: not counted.
    await insertCallLogs(organization.id, 5, { initiated_at: new Date('2025-12-01T12:00:00Z') })

    const series = await new DashboardStats().series(organization, now)
    assert.lengthOf(series.perHour, 24)
    assert.lengthOf(series.perDay, SERIES_DAYS)
    const nine = series.perHour[9]
    assert.equal(DateTime.fromISO(nine.start).setZone('America/New_York').hour, 9)
    assert.deepInclude(nine, { total: 4, answered: 3 })
    assert.equal(
      series.perHour.reduce((n, b) => n + b.total, 0),
      4,
    )
    assert.deepInclude(series.perDay.at(-1)!, { total: 4, answered: 3 })
    assert.deepInclude(series.perDay.at(-2)!, { total: 2, answered: 0 })
    assert.equal(
      series.perDay.reduce((n, b) => n + b.total, 0),
      6,
    )
  })

  test('registered devices come from the edge bindings, for managers only', async ({
    client,
    assert,
  }) => {
    const { organization, admin, reporter } = await createTenant()
    await makeExtension(organization, { number: '1401' })
    await makeExtension(organization, { number: '1402' })
    const key = bindingKey(organization.id, `1401@${organization.sipDomain}`)
    const now = Date.now()
    await redis.hset(key, {
      'sip:a@10.0.0.1': JSON.stringify({ contact: 'sip:a@10.0.0.1', expiresAt: now + 60_000 }),
      'sip:b@10.0.0.2': JSON.stringify({ contact: 'sip:b@10.0.0.2', expiresAt: now + 60_000 }),
      'sip:c@10.0.0.3': JSON.stringify({ contact: 'sip:c@10.0.0.3', expiresAt: now - 1000 }),
    })
    const other = await createTenant()
    await makeExtension(other.organization, { number: '1401' })
    await redis.hset(bindingKey(other.organization.id, `1401@${other.organization.sipDomain}`), {
      x: JSON.stringify({ expiresAt: now + 60_000 }),
    })

    const page = await client.get('/').withGuard('web').loginAs(admin).withInertia()
    page.assertInertiaPropsContains({ devices: { devices: 2, extensions: 1 } })
    const props = page.inertiaProps as any
    assert.lengthOf(props.stats.series.perHour, 24)
    const asReporter = await client.get('/').withGuard('web').loginAs(reporter).withInertia()
    asReporter.assertInertiaPropsContains({ devices: null })
  })

  test("reads the bindings voip-edge's own BindingStore writes (same keys, same shape)", async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const extension = await makeExtension(organization, { number: '1501' })
    const store = new BindingStore(
      redis.connection().ioConnection as never,
      env.get('VOIP_EDGE_REDIS_PREFIX', 'voip-edge:'),
    )
    const now = Date.now()
    await store.apply(
      String(organization.id),
      `1501@${organization.sipDomain}`,
      [],
      [
        {
          contact: 'sip:1501@198.51.100.7:5060;transport=udp',
          expiresAt: now + 300_000,
          callId: 'reg-1',
          cseq: 1,
          q: null,
          source: { protocol: 'udp', address: '198.51.100.7', port: 5060 },
          edgeInstance: 'edge-1',
          extensionId: String(extension.id),
        },
      ],
      [],
      now,
    )
    const devices = new RegisteredDevices()
    assert.deepEqual(await devices.count(organization), { devices: 1, extensions: 1 })
    assert.deepEqual(await devices.forExtension(organization, extension), [
      {
        contact: 'sip:1501@198.51.100.7:5060;transport=udp',
        expiresAt: new Date(now + 300_000).toISOString(),
        address: '198.51.100.7:5060',
      },
    ])
  })
})
