/** Where an IVR option or a menu's failover sends the caller. */
export const IVR_TARGET_TYPES = [
  'extension',
  'ring_group',
  'ivr_menu',
  'conference_room',
  'voicemail',
  'hangup',
] as const
export type IvrTargetType = (typeof IVR_TARGET_TYPES)[number]

export const IVR_MENU_STATUSES = ['active', 'inactive'] as const
export type IvrMenuStatus = (typeof IVR_MENU_STATUSES)[number]

/* One key per option: the caller presses a single key, never a sequence. */
export const IVR_DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const
export const MAX_IVR_OPTIONS = 12

/* Targets that carry no id. */
export const TARGETLESS: readonly IvrTargetType[] = ['hangup']

/*
 * The table each target id lives in. Voicemail names the extension whose mailbox answers,
 * as ring-group fallbacks do.
 */
export const TARGET_TABLES: Record<Exclude<IvrTargetType, 'hangup'>, string> = {
  extension: 'extensions',
  voicemail: 'extensions',
  ring_group: 'ring_groups',
  ivr_menu: 'ivr_menus',
  conference_room: 'conference_rooms',
}

export type IvrTarget = { type: IvrTargetType; id: number | null }
export type IvrPrompt = {
  recordingId: number | null
  ttsText: string | null
  ttsVoice: string | null
  ttsLanguage: string | null
}
