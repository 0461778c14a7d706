import { Head, usePage } from '@inertiajs/react'
import { AppLayout } from '~/layouts/app_layout'
import type { SharedProps } from '~/types'

export default function Dashboard({ stats }: { stats: { users: number } }) {
  const { organization, can } = usePage<SharedProps>().props
  return (
    <AppLayout>
      <Head title="Dashboard" />
      <h1>{organization?.name}</h1>
      <section className="tiles">
        <div className="tile">
          <span className="tile-value">{stats.users}</span>
          <span className="tile-label">users</span>
        </div>
      </section>
      {can['users.manage'] && (
        <p className="muted">You can manage users and PBX settings for this organization.</p>
      )}
    </AppLayout>
  )
}
