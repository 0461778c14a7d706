import { router, usePage } from '@inertiajs/react'
import type { SharedProps } from '~/types'

/** Always visible while support staff act as a tenant user, with a one-click way out. */
export function ImpersonationBanner() {
  const { impersonation, currentUser } = usePage<SharedProps>().props
  if (!impersonation || !currentUser) return null
  return (
    <div className="impersonation-banner" role="alert" data-testid="impersonation-banner">
      <span>
        Support mode: <strong>{impersonation.staffName}</strong> is acting as{' '}
        <strong>{currentUser.email}</strong> — reason: {impersonation.reason}
      </span>
      <button type="button" onClick={() => router.delete('/support/impersonations')}>
        Stop impersonating
      </button>
    </div>
  )
}
