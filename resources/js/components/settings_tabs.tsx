import { Link, usePage } from '@inertiajs/react'
import type { SharedProps } from '~/types'
import '../../css/calls.css'

/** Settings sub-navigation; tabs a role cannot use are not shown (the server refuses them too). */
export function SettingsTabs() {
  const page = usePage<SharedProps>()
  const abilities = page.props.can
  const url = page.url
  const tabs = [
    { href: '/settings/organization', label: 'Organization', show: true },
    { href: '/settings/pbx', label: 'PBX & webhooks', show: !!abilities['pbx.configure'] },
    { href: '/settings/tokens', label: 'API tokens', show: true },
    { href: '/settings/audit', label: 'Audit log', show: !!abilities['audit.view'] },
  ]
  return (
    <nav className="tabs" aria-label="Settings">
      {tabs
        .filter((t) => t.show)
        .map((t) => (
          <Link
            key={t.href}
            href={t.href}
            aria-current={url.split('?')[0] === t.href ? 'page' : undefined}
          >
            {t.label}
          </Link>
        ))}
    </nav>
  )
}
