import type User from '#models/user'
import { assignableRoles, type Role } from '#enums/roles'

/*
 * The RBAC matrix as plain functions, shared by the Bouncer policies (enforcement) and by
 * the `can` object sent to the web app (presentation), so the two can never disagree.
 * Role reference: owner > pbx_admin > pbx_user > reporter.
 */

type Actor = Pick<User, 'id' | 'role'>
type Target = Pick<User, 'id' | 'role'>

export const isOwner = (actor: Actor) => actor.role === 'owner'
export const isManager = (actor: Actor) => actor.role === 'owner' || actor.role === 'pbx_admin'
export const canViewReports = (actor: Actor) => actor.role !== 'pbx_user'

/** Owners manage everyone; PBX admins manage only PBX users and reporters. */
export function managesUser(actor: Actor, target: Target) {
  if (isOwner(actor)) return true
  return actor.role === 'pbx_admin' && (target.role === 'pbx_user' || target.role === 'reporter')
}

export function canAssignRole(actor: Actor, target: Target, role: Role) {
  if (actor.id === target.id) return false
  return managesUser(actor, target) && assignableRoles(actor.role).includes(role)
}

export function canDeleteUser(actor: Actor, target: Target) {
  return actor.id !== target.id && managesUser(actor, target)
}
