import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import type RingGroup from '#models/ring_group'
import type RingGroupMember from '#models/ring_group_member'

/*
 * round_robin: the start moves on by one per call, atomically across app instances, with
 * a Redis INCR: live hunt state, never in the routing cache, and no database write on the
 * routing path. Losing it (a Redis flush) only restarts the rotation at the first member.
 */
export async function nextRotation(group: RingGroup) {
  const position = await redis.incr(rotationKey(group.organizationId, group.id))
  return position - 1
}

export function rotationKey(organizationId: number, ringGroupId: number) {
  return `ring-group:rotation:${organizationId}:${ringGroupId}`
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
