export const RING_GROUP_STRATEGIES = [
  'simultaneous',
  'sequential',
  'round_robin',
  'longest_idle',
] as const
export type RingGroupStrategy = (typeof RING_GROUP_STRATEGIES)[number]

export const RING_GROUP_FALLBACKS = [
  'extension',
  'ring_group',
  'ivr_menu',
  'voicemail',
  'hangup',
] as const
export type RingGroupFallback = (typeof RING_GROUP_FALLBACKS)[number]

export const RING_GROUP_STATUSES = ['active', 'inactive'] as const
export type RingGroupStatus = (typeof RING_GROUP_STATUSES)[number]

export const MAX_RING_GROUP_MEMBERS = 50
