import { withFencedLock, withLock } from '#services/locks/lock_service'
import { ringGroupsOf } from '#services/ring_groups/ring_group_lookup'

export function ringGroupLockKey(id: number) {
  return `lock:ring-group:${id}`
}

/**
 * Runs `fn` holding the group's lock: edits of one group (and routing reads of it) take
 * turns. Not obtained within the configured budget → 409 E_RESOURCE_LOCKED with a hint.
 */
export function withRingGroupLock<T>(id: number, fn: () => Promise<T>) {
  return withLock(ringGroupLockKey(id), 'ring group', fn)
}

/**
 * The same lock for writers, with its fencing token: the write stores it on the row and is
 * refused (409 E_STALE_LOCK) when a newer holder's token is there already, which is what
 * keeps a writer paused past the lock's TTL from overwriting the next writer's change.
 */
export function withFencedRingGroupLock<T>(id: number, fn: (token: number) => Promise<T>) {
  return withFencedLock(ringGroupLockKey(id), 'ring group', fn)
}

/**
 * For the execution plane: a live group of the organization with its ringable members
 * (live, active user extensions) in ring order, read under the group's lock so a member list
 * being replaced is never seen half-written. Null when there is no such group.
 */
export function readRingGroupForRouting(organizationId: number, id: number) {
  return withRingGroupLock(id, async () => {
    const group = await ringGroupsOf(organizationId)
      .where('id', id)
      .whereNull('deleted_at')
      .preload('members', (members) =>
        members
          .whereHas('extension', (extension) =>
            extension.where('type', 'user').where('status', 'active').whereNull('deleted_at'),
          )
          .preload('extension'),
      )
      .first()
    return group
  })
}
