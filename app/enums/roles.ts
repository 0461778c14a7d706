/**
 * Tenant roles, highest first. Staff roles live on StaffUser and are never tenant roles.
 */
export const ROLES = ['owner', 'pbx_admin', 'pbx_user', 'reporter'] as const
export type Role = (typeof ROLES)[number]

export const RoleDesc: Record<Role, string> = {
  owner: 'Owner: full access, including the organization itself',
  pbx_admin: 'PBX admin: manages PBX configuration and PBX users/reporters',
  pbx_user: 'PBX user: uses the PBX and manages their own extension',
  reporter: 'Reporter: read-only access to reports and call history',
}

/** Roles an actor may assign to others: owners any, PBX admins only the two lower roles. */
export function assignableRoles(actor: Role): readonly Role[] {
  if (actor === 'owner') return ROLES
  if (actor === 'pbx_admin') return ['pbx_user', 'reporter']
  return []
}

export const USER_STATUSES = ['active', 'inactive'] as const
export type UserStatus = (typeof USER_STATUSES)[number]

export const ORGANIZATION_STATUSES = ['active', 'suspended'] as const
export type OrganizationStatus = (typeof ORGANIZATION_STATUSES)[number]
