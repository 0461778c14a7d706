import type User from '#models/user'

/** The API/Inertia shape of a user: never the password hash or internal bookkeeping. */
export function serializeUser(user: User) {
  return {
    id: user.id,
    organizationId: user.organizationId,
    name: user.name,
    email: user.email,
    role: user.role,
    status: user.status,
    phone: user.phone,
    passwordResetRequired: user.passwordResetRequired,
    lastLoginAt: user.lastLoginAt?.toISO() ?? null,
    createdAt: user.createdAt.toISO(),
    updatedAt: user.updatedAt.toISO(),
    deletedAt: user.deletedAt?.toISO() ?? null,
  }
}
