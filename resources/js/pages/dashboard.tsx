import { Head, Link, router, usePage } from '@inertiajs/react'
import { AppLayout } from '~/layouts/app_layout'
import { BarChart } from '~/components/bar_chart'
import { useCallEvents } from '~/components/call_events'
import type { SharedProps } from '~/types'

type Bucket = { start: string; total: number; answered: number }

type Props = {
  stats: {
    users: number
    extensions: number
    phoneNumbers: number
    calls: { today: number; answered: number; missed: number; active: number } | null
    series: { perHour: Bucket[]; perDay: Bucket[] } | null
  }
  devices: { devices: number; extensions: number } | null
  timezone: string
}

function labelled(buckets: Bucket[], timeZone: string, format: Intl.DateTimeFormatOptions) {
  const formatter = new Intl.DateTimeFormat('en-GB', { timeZone, ...format })
  return buckets.map((b) => ({ ...b, label: formatter.format(new Date(b.start)) }))
}

function Tile({ value, label, testId }: { value: number; label: string; testId?: string }) {
  return (
    <div className="tile" data-testid={testId}>
      <span className="tile-value">{value}</span>
      <span className="tile-label">{label}</span>
    </div>
  )
}

export default function Dashboard({ stats, devices, timezone }: Props) {
  const { organization, can } = usePage<SharedProps>().props
  // Managers see today's figures move as calls start and end (same stream as Live calls).
  const live = useCallEvents(!!can['calls.live'] && stats.calls !== null, {
    onEvent: () => router.reload({ only: ['stats'] }),
  })
  return (
    <AppLayout>
      <Head title="Dashboard" />
      <h1>{organization?.name}</h1>
      {stats.calls && (
        <>
          <h2>Calls today</h2>
          <section className="tiles" aria-label="Calls today" data-live={live ? 'on' : 'off'}>
            <Tile value={stats.calls.active} label="active now" testId="calls-active" />
            <Tile value={stats.calls.today} label="calls today" testId="calls-today" />
            <Tile value={stats.calls.answered} label="answered" testId="calls-answered" />
            <Tile value={stats.calls.missed} label="missed" testId="calls-missed" />
          </section>
          {can['calls.live'] && (
            <p className="muted">
              <Link href="/calls/live">Watch live calls</Link> ·{' '}
              <Link href="/calls">Call history</Link>
            </p>
          )}
        </>
      )}
      {stats.series && (
        <section className="two-col" aria-label="Call charts">
          <BarChart
            title="Calls per hour today"
            bars={labelled(stats.series.perHour, timezone, { hour: '2-digit' })}
            labelEvery={3}
          />
          <BarChart
            title="Calls per day, last 14 days"
            bars={labelled(stats.series.perDay, timezone, { day: '2-digit', month: 'short' })}
            labelEvery={2}
          />
        </section>
      )}
      <h2>Your PBX</h2>
      <section className="tiles" aria-label="Your PBX">
        <Tile value={stats.users} label="users" />
        <Tile value={stats.extensions} label="extensions" />
        <Tile value={stats.phoneNumbers} label="phone numbers" />
        {devices && (
          <Tile value={devices.devices} label="registered devices" testId="devices-registered" />
        )}
      </section>
      {can['users.manage'] && (
        <p className="muted">
          Manage <Link href="/users">users</Link> and <Link href="/extensions">extensions</Link>;
          the full configuration API is documented at <a href="/api/docs">/api/docs</a>.
        </p>
      )}
    </AppLayout>
  )
}
