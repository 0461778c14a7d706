/*
 * Reference finders registered by the extensions area: for each resource type that rows of
 * this area point at, a function listing the rows that do (see reference_registry.ts).
 */
import db from '@adonisjs/lucid/services/db'
import references, { type Reference } from '#services/references/reference_registry'

/* Live extensions whose configuration names the row, e.g. a conference extension's room. */
function extensionsConfiguredWith(key: string) {
  return async (organizationId: number, id: number): Promise<Reference[]> => {
    const rows = await db
      .from('extensions')
      .where('organization_id', organizationId)
      .whereNull('deleted_at')
      .whereRaw(`configuration->>? = ?`, [key, String(id)])
      .select('id', 'number', 'name')
    return rows.map((row) => ({ type: 'extension', id: row.id, name: `${row.number} ${row.name}` }))
  }
}

references.register('conference_room', extensionsConfiguredWith('conference_room_id'))
references.register('ring_group', extensionsConfiguredWith('ring_group_id'))
references.register('ivr_menu', extensionsConfiguredWith('ivr_menu_id'))

/*
 * Other extensions send calls to this one by number: a forward extension's target, an
 * enabled forwarding rule, or a follow-me step. Deleting it would silently drop those calls.
 */
references.register('extension', async (organizationId, id) => {
  const target = await db
    .from('extensions')
    .where('organization_id', organizationId)
    .where('id', id)
    .select('number')
    .first()
  if (!target) return []
  const vars = JSON.stringify({ n: target.number })
  const rows = await db
    .from('extensions')
    .where('organization_id', organizationId)
    .whereNull('deleted_at')
    .whereNot('id', id)
    .where((q) =>
      q
        .where((forward) =>
          forward
            .where('type', 'forward')
            .whereRaw(`configuration->>'forward_to' = ?`, [target.number]),
        )
        .orWhereRaw(
          `jsonb_path_exists(forwarding, '$.* \\? (@.enabled == true && @.destination == $n)', ?::jsonb)`,
          [vars],
        )
        .orWhereRaw(`jsonb_path_exists(follow_me, '$.numbers[*] \\? (@.number == $n)', ?::jsonb)`, [
          vars,
        ]),
    )
    .orderBy('number')
    .select('id', 'number', 'name')
  return rows.map((row) => ({ type: 'extension', id: row.id, name: `${row.number} ${row.name}` }))
})
