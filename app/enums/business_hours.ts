export const BUSINESS_HOURS_STATUSES = ['active', 'inactive'] as const
export type BusinessHoursStatus = (typeof BUSINESS_HOURS_STATUSES)[number]

export const ROUTING_TARGET_TYPES = [
  'extension',
  'ring_group',
  'ivr_menu',
  'conference_room',
  'voicemail',
  'hangup',
] as const
export type RoutingTargetType = (typeof ROUTING_TARGET_TYPES)[number]

/* Where each target's id points; voicemail names the extension whose box answers. */
export const TARGET_TABLES: Record<Exclude<RoutingTargetType, 'hangup'>, string> = {
  extension: 'extensions',
  voicemail: 'extensions',
  ring_group: 'ring_groups',
  ivr_menu: 'ivr_menus',
  conference_room: 'conference_rooms',
}

export type RoutingTarget = { type: RoutingTargetType; id: number | null }
export type TimeRange = { start: string; end: string }
export type ExceptionKind = 'closed' | 'special'
