import { Head, Link, usePage } from '@inertiajs/react'
import { AppLayout } from '~/layouts/app_layout'
import type { SharedProps } from '~/types'

type Props = {
  stats: {
    users: number
    extensions: number
    phoneNumbers: number
    calls: { today: number; answered: number; missed: number; active: number } | null
  }
}

function Tile({ value, label, testId }: { value: number; label: string; testId?: string }) {
  return (
    <div className="tile" data-testid={testId}>
      <span className="tile-value">{value}</span>
      <span className="tile-label">{label}</span>
    </div>
  )
}

export default function Dashboard({ stats }: Props) {
  const { organization, can } = usePage<SharedProps>().props
  return (
    <AppLayout>
      <Head title="Dashboard" />
      <h1>{organization?.name}</h1>
      {stats.calls && (
        <>
          <h2>Calls today</h2>
          <section className="tiles" aria-label="Calls today">
            <Tile value={stats.calls.active} label="active now" testId="calls-active" />
            <Tile value={stats.calls.today} label="calls today" testId="calls-today" />
            <Tile value={stats.calls.answered} label="answered" testId="calls-answered" />
            <Tile value={stats.calls.missed} label="missed" testId="calls-missed" />
          </section>
        </>
      )}
      <h2>Your PBX</h2>
      <section className="tiles" aria-label="Your PBX">
        <Tile value={stats.users} label="users" />
        <Tile value={stats.extensions} label="extensions" />
        <Tile value={stats.phoneNumbers} label="phone numbers" />
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
