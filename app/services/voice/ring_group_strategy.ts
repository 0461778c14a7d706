import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type RingGroup from '#models/ring_group'
import type RingGroupMember from '#models/ring_group_member'

/* round_robin: the start moves on by one per call, atomically across app instances. */
export async function nextRotation(group: RingGroup) {
  const result = await db.rawQuery(
    `UPDATE ring_groups SET rotation_position = rotation_position + 1
      WHERE id = ? AND organization_id = ? RETURNING rotation_position`,
    [group.id, group.organizationId],
  )
  return Number(result.rows[0]?.rotation_position ?? 1) - 1
}

/*
 * longest_idle: idle since the last offer (we do not see when a member's last call ended);
 * never offered counts as idlest, and ties keep ring order (the sort is stable).
 */
export function idlestFirst(members: RingGroupMember[]) {
  const idle = (m: RingGroupMember) => m.lastOfferedAt?.toMillis() ?? Number.NEGATIVE_INFINITY
  return [...members].sort((a, b) => idle(a) - idle(b))
}

export async function markOffered(members: RingGroupMember[]) {
  await db
    .from('ring_group_members')
    .whereIn(
      'id',
      members.map((m) => m.id),
    )
    .update({ last_offered_at: DateTime.now().toJSDate() })
}
