import type { LucidModel, LucidRow } from '@adonisjs/lucid/types/model'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type Organization from '#models/organization'
import Extension from '#models/extension'
import RingGroup from '#models/ring_group'
import RingGroupMember from '#models/ring_group_member'
import IvrMenu from '#models/ivr_menu'
import IvrMenuOption from '#models/ivr_menu_option'
import BusinessHoursSchedule from '#models/business_hours_schedule'
import BusinessHoursRule from '#models/business_hours_rule'
import BusinessHoursException from '#models/business_hours_exception'
import ConferenceRoom from '#models/conference_room'
import VoicemailBox from '#models/voicemail_box'
import OrganizationSetting from '#models/organization_setting'
import OrganizationSettingsService from '#services/settings/organization_settings_service'
import { withRingGroupLock } from '#services/ring_groups/ring_group_lock'
import { activeSecretRows } from '#services/settings/webhook_secrets'
import { openSecret } from '#services/secrets/secret_box'
import { cached, organizationKey, type Generation } from '#services/voice/routing_cache'

/*
 * The routing decision's reads, through the routing cache. Rows are cached as the database
 * returned them (secrets stay encrypted in Redis) and become model instances again here,
 * so the routers keep working with models and their helpers.
 */

type Raw = Record<string, unknown>
export type RoutingScope = { organization: Organization; generation: Generation }
type Scope = RoutingScope

function hydrate<M extends LucidModel>(model: M, row: Raw): InstanceType<M> {
  return model.$createFromAdapterResult(row) as InstanceType<M>
}

function read<T>(scope: Scope, key: string, load: () => Promise<T>) {
  const { organization, generation } = scope
  return cached(generation, organizationKey(organization.id, generation, key), load)
}

function rooted<M extends LucidModel & { forOrganization: unknown }>(model: M, scope: Scope) {
  return (model as unknown as typeof Extension)
    .query()
    .withScopes((s) => s.forOrganization(scope.organization))
}

type Pojo = { pojo(): unknown }
const raw = (query: Pojo) => query.pojo() as Promise<Raw[]>
const first = async (query: Pojo) => {
  const [row] = await raw(query)
  return row ?? null
}

/** A live extension of the organization (any status: routers judge the status). */
export async function routingExtension(scope: Scope, where: { id: number } | { number: string }) {
  const key = 'id' in where ? `ext:id:${where.id}` : `ext:number:${where.number}`
  const row = await read(scope, key, () => {
    const query = rooted(Extension, scope).whereNull('deleted_at')
    if ('id' in where) query.where('id', where.id)
    else query.where('number', where.number)
    return first(query.limit(1))
  })
  return row ? hydrate(Extension, row) : null
}

/**
 * A live group with its ringable members (live, active user extensions) in ring order.
 * A miss reads under the group's lock, so a member list being replaced is never cached
 * half-written. When each member was last offered a call is live state and always read.
 */
export async function routingRingGroup(scope: Scope, id: number) {
  const snapshot = await read(scope, `ring_group:${id}`, () =>
    withRingGroupLock(id, async () => {
      const group = await first(
        RingGroup.query()
          .withScopes((s) => s.forOrganization(scope.organization))
          .where('id', id)
          .whereNull('deleted_at'),
      )
      if (!group) return null
      const members = await raw(
        RingGroupMember.query()
          .withScopes((s) => s.forOrganization(scope.organization))
          .where('ring_group_id', id)
          .whereHas('extension', (extension) =>
            extension.where('type', 'user').where('status', 'active').whereNull('deleted_at'),
          )
          .orderBy('priority')
          .orderBy('id'),
      )
      const extensions = await raw(
        rooted(Extension, scope).whereIn(
          'id',
          members.map((m) => m.extension_id as number),
        ),
      )
      return { group, members, extensions }
    }),
  )
  if (!snapshot) return null
  const group = hydrate(RingGroup, snapshot.group)
  const extensions = new Map(snapshot.extensions.map((row) => [row.id, row]))
  const members = snapshot.members.map((row) => {
    const member = hydrate(RingGroupMember, row)
    member.$setRelated('extension', hydrate(Extension, extensions.get(row.extension_id)!))
    return member
  })
  if (group.strategy === 'longest_idle' && members.length > 0) await liveOfferTimes(members)
  group.$setRelated('members', members as LucidRow[] as RingGroupMember[])
  return group
}

async function liveOfferTimes(members: RingGroupMember[]) {
  const rows: { id: number; last_offered_at: Date | null }[] = await db
    .from('ring_group_members')
    .whereIn(
      'id',
      members.map((m) => m.id),
    )
    .select('id', 'last_offered_at')
  const at = new Map(rows.map((row) => [row.id, row.last_offered_at]))
  for (const member of members) {
    const value = at.get(member.id)
    member.lastOfferedAt = value ? DateTime.fromJSDate(value) : null
  }
}

/** An active, live menu with its options in position order. */
export async function routingMenu(scope: Scope, id: number) {
  const snapshot = await read(scope, `ivr_menu:${id}`, async () => {
    const menu = await first(
      rooted(IvrMenu, scope).where('id', id).where('status', 'active').whereNull('deleted_at'),
    )
    if (!menu) return null
    const options = await raw(
      rooted(IvrMenuOption, scope).where('ivr_menu_id', id).orderBy('position'),
    )
    return { menu, options }
  })
  if (!snapshot) return null
  const menu = hydrate(IvrMenu, snapshot.menu)
  menu.$setRelated(
    'options',
    snapshot.options.map((row) => hydrate(IvrMenuOption, row)),
  )
  return menu
}

/** An active, live schedule with its weekly ranges and exceptions. */
export async function routingSchedule(scope: Scope, id: number) {
  const snapshot = await read(scope, `schedule:${id}`, async () => {
    const schedule = await first(
      rooted(BusinessHoursSchedule, scope)
        .where('id', id)
        .where('status', 'active')
        .whereNull('deleted_at'),
    )
    if (!schedule) return null
    const rules = await raw(rooted(BusinessHoursRule, scope).where('schedule_id', id).orderBy('id'))
    const exceptions = await raw(
      rooted(BusinessHoursException, scope).where('schedule_id', id).orderBy('id'),
    )
    return { schedule, rules, exceptions }
  })
  if (!snapshot) return null
  const schedule = hydrate(BusinessHoursSchedule, snapshot.schedule)
  schedule.$setRelated(
    'rules',
    snapshot.rules.map((row) => hydrate(BusinessHoursRule, row)),
  )
  schedule.$setRelated(
    'exceptions',
    snapshot.exceptions.map((row) => hydrate(BusinessHoursException, row)),
  )
  return schedule
}

/** An active, live conference room (its PINs decrypted only when hydrated). */
export async function routingRoom(scope: Scope, id: number) {
  const row = await read(scope, `room:${id}`, () =>
    first(
      rooted(ConferenceRoom, scope)
        .where('id', id)
        .where('status', 'active')
        .whereNull('deleted_at'),
    ),
  )
  return row ? hydrate(ConferenceRoom, row) : null
}

export async function routingVoicemailBox(scope: Scope, extensionId: number) {
  const row = await read(scope, `voicemail_box:${extensionId}`, () =>
    first(rooted(VoicemailBox, scope).where('extension_id', extensionId)),
  )
  return row ? hydrate(VoicemailBox, row) : null
}

/*
 * One decision asks for the settings up to three times (authentication and budget, the
 * no-answer timeout, the recording policy), with the same Organization instance: they
 * are hydrated once per instance and generation, since hydrating a settings model was
 * the costliest read of the decision. A change bumps the generation, which misses here.
 */
const settingsOf = new WeakMap<
  Organization,
  { generation: Generation; settings: OrganizationSetting }
>()

/** The organization's settings row, created with its defaults on first use. */
export async function routingSettings(scope: Scope) {
  const known = settingsOf.get(scope.organization)
  if (known && known.generation === scope.generation && scope.generation !== 'offline') {
    return known.settings
  }
  const settings = await loadSettings(scope)
  settingsOf.set(scope.organization, { generation: scope.generation, settings })
  return settings
}

async function loadSettings(scope: Scope) {
  const row = await read(scope, 'settings', async () => {
    const load = () => first(rooted(OrganizationSetting, scope))
    const existing = await load()
    if (existing) return existing
    await new OrganizationSettingsService().forOrganization(scope.organization)
    return load()
  })
  return hydrate(OrganizationSetting, row!)
}

/**
 * The clear webhook secrets that verify signatures now, newest first. Revocations and
 * rotations bump the generation; expiry is a matter of time, so it is checked on every
 * read rather than when the rows were cached.
 */
export async function routingSecrets(scope: Scope): Promise<string[]> {
  const rows = await read(scope, 'webhook_secrets', () =>
    raw(activeSecretRows(scope.organization.id, DateTime.now())),
  )
  const now = Date.now()
  return rows
    .filter((row) => !row.expires_at || new Date(row.expires_at as Date).getTime() > now)
    .map((row) => openSecret(row.secret as string))
    .filter((secret): secret is string => secret !== null)
}
