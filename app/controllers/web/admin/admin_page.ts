import { HttpContext } from '@adonisjs/core/http'
import { abilitiesFor } from '#auth/abilities'
import type { BasePolicy } from '@adonisjs/bouncer'
import type { LucidRow, ModelPaginatorContract } from '@adonisjs/lucid/types/model'
import { paginated } from '#transformers/pagination'
import type { ListFilters } from '#services/shared/listing'

type PolicyClass = new (...args: any[]) => BasePolicy

/**
 * What a resource page may offer, asked of the same policy the server enforces with
 * (PBX resource policies decide on role, so no row is needed to ask). `updateAbility` names
 * the role-level check where `update` itself needs a row (extensions: `changeIdentity`).
 */
export async function abilitiesOf(
  bouncer: HttpContext['bouncer'],
  Policy: PolicyClass,
  updateAbility = 'update',
) {
  const policy = bouncer.with(Policy as any) as any
  const [create, update, remove, restore] = await Promise.all([
    policy.allows('create'),
    policy.allows(updateAbility, null),
    policy.allows('delete', null),
    policy.allows('restore', null),
  ])
  return { ...appAbilities(), create, update, delete: remove, restore } as Record<
    'create' | 'update' | 'delete' | 'restore',
    boolean
  >
}

/**
 * A page prop named `can` replaces the shared one of the Inertia middleware, and the layout
 * reads its navigation (Users, Live calls) from there: page abilities carry the shared ones.
 */
export function appAbilities() {
  const ctx = HttpContext.getOrFail()
  // Set by the tenant middleware that guards every admin page (a staff session never gets here).
  const user = ctx.currentUser as HttpContext['currentUser'] | undefined
  return user ? abilitiesFor(user, ctx.impersonation !== undefined) : {}
}

/** The list part every resource page receives: one page of rows and the filters used. */
export function listProps<Row extends LucidRow, Out>(
  page: ModelPaginatorContract<Row>,
  serialize: (row: Row) => Out,
  filters: ListFilters,
) {
  return {
    rows: paginated(page, serialize),
    filters: { search: filters.search ?? '', trashed: filters.trashed ?? null },
  }
}

/** Back to the page the form was on, with a toast saying what happened. */
export function done(ctx: HttpContext, message: string) {
  ctx.session.flash('success', message)
  return ctx.response.redirect().back()
}
