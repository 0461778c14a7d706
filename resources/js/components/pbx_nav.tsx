import '../../css/admin.css'
import { Link, usePage } from '@inertiajs/react'

/* Every member of the organization may read the PBX configuration (PbxResourcePolicy). */
const PAGES = [
  { href: '/extensions', label: 'Extensions' },
  { href: '/phone-numbers', label: 'Phone numbers' },
  { href: '/ring-groups', label: 'Ring groups' },
  { href: '/business-hours', label: 'Business hours' },
  { href: '/ivr-menus', label: 'IVR menus' },
  { href: '/conference-rooms', label: 'Conference rooms' },
  { href: '/voicemail-boxes', label: 'Voicemail' },
  { href: '/prompts', label: 'Prompts' },
  { href: '/trunks', label: 'Trunks' },
  { href: '/outbound-routes', label: 'Outbound routes' },
]

/** The second navigation row: the PBX configuration pages, the current one marked. */
export function PbxNav() {
  const { url } = usePage()
  const path = url.split('?')[0]
  return (
    <nav className="pbx-nav" aria-label="PBX configuration">
      {PAGES.map((page) => (
        <Link
          key={page.href}
          href={page.href}
          aria-current={path === page.href ? 'page' : undefined}
        >
          {page.label}
        </Link>
      ))}
    </nav>
  )
}
