import db from '@adonisjs/lucid/services/db'
import type Organization from '#models/organization'

/*
 * The rows a page's pickers choose from (routing targets, members, trunks, prompts): live
 * rows of the caller's organization only, a few columns each. The validators still decide
 * what is acceptable; these lists only spare the admin from typing ids.
 */
const SOURCES = {
  extensions: () =>
    db
      .from('extensions')
      .select('id', 'number', 'name', 'type', 'status', 'voicemail_enabled as voicemailEnabled')
      .orderBy('number'),
  ringGroups: () => db.from('ring_groups').select('id', 'name', 'status').orderBy('name'),
  ivrMenus: () => db.from('ivr_menus').select('id', 'name', 'status').orderBy('name'),
  businessHours: () =>
    db.from('business_hours_schedules').select('id', 'name', 'status').orderBy('name'),
  conferenceRooms: () =>
    db.from('conference_rooms').select('id', 'number', 'name', 'status').orderBy('number'),
  trunks: () => db.from('trunks').select('id', 'name', 'enabled', 'kind').orderBy('priority'),
  recordings: () => db.from('recordings').select('id', 'name', 'status').orderBy('name'),
} as const

export type OptionKind = keyof typeof SOURCES

export async function optionsFor<K extends OptionKind>(organization: Organization, kinds: K[]) {
  const lists = await Promise.all(
    kinds.map((kind) =>
      SOURCES[kind]().where('organization_id', organization.id).whereNull('deleted_at'),
    ),
  )
  return Object.fromEntries(kinds.map((kind, i) => [kind, lists[i]])) as Record<
    K,
    Record<string, unknown>[]
  >
}
