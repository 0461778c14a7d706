import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import { fieldError } from '#services/shared/field_error'

/**
 * Run after the menu's own write, inside the locked transaction: walks the organization's
 * live menus along option and failover edges and refuses a walk that comes back to the
 * menu, naming the loop ("Main → Sales → Main"). Self-reference is the one-step loop.
 */
export async function assertNoCycle(
  trx: TransactionClientContract,
  organizationId: number,
  id: number,
) {
  const menus = await trx
    .from('ivr_menus')
    .where('organization_id', organizationId)
    .whereNull('deleted_at')
    .select('id', 'name', 'failover_type', 'failover_id')
  const options = await trx
    .from('ivr_menu_options')
    .where('organization_id', organizationId)
    .where('target_type', 'ivr_menu')
    .whereIn(
      'ivr_menu_id',
      trx
        .from('ivr_menus')
        .where('organization_id', organizationId)
        .whereNull('deleted_at')
        .select('id'),
    )
    .orderBy('position')
    .select('ivr_menu_id', 'target_id')
  const names = new Map<number, string>(menus.map((m) => [m.id, m.name]))
  const edges = new Map<number, { to: number; via: 'options' | 'failover' }[]>()
  const add = (from: number, to: number, via: 'options' | 'failover') =>
    names.has(to) && edges.set(from, [...(edges.get(from) ?? []), { to, via }])
  for (const option of options) add(option.ivr_menu_id, option.target_id, 'options')
  for (const menu of menus)
    if (menu.failover_type === 'ivr_menu') add(menu.id, menu.failover_id, 'failover')

  /*
   * The validator saw the target menus live, but before this transaction held the lock; one
   * may have been deleted since (deletes take the same lock), and a dangling edge routes nobody.
   */
  const mine = [
    ...options.filter((option) => option.ivr_menu_id === id).map((o) => ['options', o.target_id]),
    ...menus
      .filter((m) => m.id === id && m.failover_type === 'ivr_menu')
      .map((m) => ['failover', m.failover_id]),
  ] as ['options' | 'failover', number][]
  const gone = mine.find(([, to]) => !names.has(to))
  if (gone)
    throw fieldError(gone[0], 'The selected IVR menu no longer exists', 'existsInOrganization')

  const path = findLoop(edges, id)
  if (!path) return
  const loop = [id, ...path.map((step) => step.to)].map((menu) => names.get(menu)).join(' → ')
  throw fieldError(
    path[0].via,
    `Callers would go round in a loop: ${loop}. A menu cannot lead back to itself`,
    'acyclic',
  )
}

type Step = { to: number; via: 'options' | 'failover' }

/* Depth-first from `start`; each menu is expanded once, so this is linear in the edges. */
function findLoop(edges: Map<number, Step[]>, start: number): Step[] | null {
  const seen = new Set<number>()
  const walk = (from: number, trail: Step[]): Step[] | null => {
    for (const step of edges.get(from) ?? []) {
      if (step.to === start) return [...trail, step]
      if (seen.has(step.to)) continue
      seen.add(step.to)
      const found = walk(step.to, [...trail, step])
      if (found) return found
    }
    return null
  }
  return walk(start, [])
}
