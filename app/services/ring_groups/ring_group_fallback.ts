import type RingGroup from '#models/ring_group'
import type { RingGroupFallback } from '#enums/ring_groups'

/**
 * Stores the fallback in the column of its kind and clears the others, so a stale target
 * of a previous kind never lingers (and never blocks deleting what it pointed at). The
 * validator only lets a target through together with its action.
 */
export function applyFallback(
  group: RingGroup,
  input: { fallbackAction?: RingGroupFallback; fallbackTargetId?: number | null },
) {
  if (input.fallbackAction === undefined && input.fallbackTargetId === undefined) return
  const action = input.fallbackAction ?? group.fallbackAction
  const target = input.fallbackTargetId ?? group.fallbackTargetId
  group.fallbackAction = action
  group.fallbackExtensionId = action === 'extension' || action === 'voicemail' ? target : null
  group.fallbackRingGroupId = action === 'ring_group' ? target : null
  group.fallbackIvrMenuId = action === 'ivr_menu' ? target : null
}
