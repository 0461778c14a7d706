export const PHONE_NUMBER_STATUSES = ['active', 'inactive'] as const
export type PhoneNumberStatus = (typeof PHONE_NUMBER_STATUSES)[number]

export const ROUTING_TYPES = [
  'extension',
  'ring_group',
  'ivr_menu',
  'business_hours',
  'conference_room',
  'voicemail',
  'hangup',
] as const
export type RoutingType = (typeof ROUTING_TYPES)[number]
export type TargetedRoutingType = Exclude<RoutingType, 'hangup'>

/*
 * Extension types a number may ring directly. Ring-group, IVR and conference extensions are
 * only aliases for dialling internally: a number routes to the group/menu/room itself, so
 * the execution plane never has to unwrap an alias (OPBX bug §10.5).
 */
export const ROUTABLE_EXTENSION_TYPES = ['user', 'ai_assistant', 'forward'] as const

/** Where each routing type's target lives. */
export const ROUTING_TABLES: Record<TargetedRoutingType, string> = {
  extension: 'extensions',
  voicemail: 'extensions',
  ring_group: 'ring_groups',
  ivr_menu: 'ivr_menus',
  business_hours: 'business_hours_schedules',
  conference_room: 'conference_rooms',
}
