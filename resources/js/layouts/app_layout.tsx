import type { ReactNode } from 'react'
import { Link, router, usePage } from '@inertiajs/react'
import { Toaster } from '~/components/toaster'
import { ImpersonationBanner } from '~/components/impersonation_banner'
import { PbxNav } from '~/components/pbx_nav'
import { ROLE_LABELS, type SharedProps } from '~/types'

export function AppLayout({ children }: { children: ReactNode }) {
  const { currentUser, organization, can, build } = usePage<SharedProps>().props
  return (
    <div className="app">
      <ImpersonationBanner />
      <header className="topbar">
        <Link href="/" className="brand">
          OPBX
        </Link>
        <span className="org">{organization?.name}</span>
        <nav className="nav" aria-label="Main">
          <Link href="/">Dashboard</Link>
          <Link href="/phone">My phone</Link>
          <Link href="/calls">Calls</Link>
          {can['calls.live'] && <Link href="/calls/live">Live calls</Link>}
          {can['users.manage'] && <Link href="/users">Users</Link>}
          {/* The PBX configuration pages have their own row below; this is its entry point. */}
          <Link href="/extensions">PBX</Link>
          <Link href="/settings/organization">Settings</Link>
          <Link href="/password/change">Password</Link>
        </nav>
        {currentUser && (
          <span className="who">
            {currentUser.name} · {ROLE_LABELS[currentUser.role]}
            <button type="button" className="link" onClick={() => router.post('/logout')}>
              Sign out
            </button>
          </span>
        )}
      </header>
      <PbxNav />
      <main className="content">
        <Toaster />
        {children}
      </main>
      {build && (
        <footer className="app-footer">
          OPBX {build.version} · commit {build.commit}
        </footer>
      )}
    </div>
  )
}
