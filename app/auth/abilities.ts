import type User from '#models/user'
import { isManager, isOwner, canViewReports } from '#auth/rules'

/**
 * The `can` object shared with every Inertia page. Keys name pages/actions of the UI;
 * values come from the same rules the policies enforce.
 */
export function abilitiesFor(user: User, impersonating: boolean) {
  return {
    'users.manage': isManager(user),
    'pbx.configure': isManager(user),
    'reports.view': canViewReports(user),
    'organization.update': isOwner(user) && !impersonating,
    'tokens.create': !impersonating,
    'calls.live': isManager(user),
    'audit.view': isManager(user),
  }
}
