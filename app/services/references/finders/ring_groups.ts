/*
 * Reference finders registered by the ring_groups area: for each resource type that rows of
 * this area point at, a function listing the rows that do (see reference_registry.ts).
 * Only live ring groups count: a group in the bin is checked again when it is restored.
 */
import db from '@adonisjs/lucid/services/db'
import type { DatabaseQueryBuilderContract as Query } from '@adonisjs/lucid/types/querybuilder'
import references, { type Reference } from '#services/references/reference_registry'

async function groups(organizationId: number, where: (q: Query) => void): Promise<Reference[]> {
  const rows: { id: number; name: string }[] = await db
    .from('ring_groups')
    .where('organization_id', organizationId)
    .whereNull('deleted_at')
    .where(where)
    .orderBy('name')
    .select('id', 'name')
  return rows.map((row) => ({ type: 'ring_group', id: row.id, name: row.name }))
}

/* An extension rung by a group, or where a group sends unanswered calls (or its voicemail). */
references.register('extension', (organizationId, id) =>
  groups(organizationId, (q) =>
    q
      .where((fallback: Query) =>
        fallback
          .whereIn('fallback_action', ['extension', 'voicemail'])
          .where('fallback_extension_id', id),
      )
      .orWhereExists((members: Query) =>
        members
          .from('ring_group_members')
          .whereRaw('ring_group_members.ring_group_id = ring_groups.id')
          .where('ring_group_members.extension_id', id),
      ),
  ),
)

/* Groups that fall back to this one. */
references.register('ring_group', (organizationId, id) =>
  groups(organizationId, (q) =>
    q.where('fallback_action', 'ring_group').where('fallback_ring_group_id', id),
  ),
)

/* Groups that fall back to this IVR menu. */
references.register('ivr_menu', (organizationId, id) =>
  groups(organizationId, (q) =>
    q.where('fallback_action', 'ivr_menu').where('fallback_ivr_menu_id', id),
  ),
)
