import { randomBytes } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { UserFactory } from '#database/factories/user_factory'
import {
  attachTrunks,
  OutboundRouteFactory,
  OutboundRuleFactory,
  TrunkFactory,
} from '#database/factories/trunk_factory'
import { tokenFor } from '#tests/helpers'
import { webhookTenant, type WebhookTenant } from '#tests/functional/webhooks/support'
import { makeExtension, makeVoicemail } from '#tests/functional/extensions/support'
import { makeRingGroup } from '#tests/functional/ring_groups/support'
import { makeSchedule } from '#tests/functional/business_hours/support'
import { makeMenu } from '#tests/functional/ivr_menus/helpers'
import { makeRoom } from '#tests/functional/conference_rooms/helpers'
import { makeRecording } from '#tests/functional/recordings/helpers'
import { makePhoneNumber } from '#tests/functional/phone_numbers/support'
import { insertCallLogs, insertCdrs } from '#tests/functional/call_logs/fixtures'

/*
 * Two tenants with the same shape: the same extension numbers (101, 102), one live and one
 * soft-deleted row of every resource, call history and secrets. Every name-like value of a
 * tenant carries its marker, so a response that leaks any of B's rows contains B's marker.
 */

export const RESOURCE_KINDS = [
  'user',
  'extension',
  'voicemail_message',
  'ring_group',
  'business_hours',
  'ivr_menu',
  'conference_room',
  'recording',
  'phone_number',
  'trunk',
  'outbound_route',
  'outbound_rule',
  'call_log',
  'active_call',
  'cdr',
  'webhook_secret',
  'access_token',
] as const

export type ResourceKind = (typeof RESOURCE_KINDS)[number]
/** A live row, or (`trashed:`) a soft-deleted one, e.g. for restore endpoints. */
export type ParamKind = ResourceKind | `trashed:${ResourceKind}`

export type WorldTenant = WebhookTenant & {
  marker: string
  ids: Partial<Record<ParamKind, number>>
  token: string
  /** Strings that must never appear in another tenant's responses. */
  secrets: string[]
  fingerprints: string[]
  numbers: { did: string; caller: string }
  /** The call id of the tenant's one call_logs row. */
  callId: string
}

async function softDelete(table: string, id: number) {
  await db.from(table).where('id', id).update({ deleted_at: new Date() })
}

export async function buildTenant(label: 'A' | 'B', didBase: string): Promise<WorldTenant> {
  const marker = `Zq${label}${randomBytes(4).toString('hex')}`
  const tenant = await webhookTenant({ mode: 'cloudonix' })
  const org = tenant.organization
  const orgId = org.id
  const ids: Partial<Record<ParamKind, number>> = {}
  await org.merge({ name: `${marker} Org` }).save()
  for (const user of [tenant.owner, tenant.admin, tenant.user, tenant.reporter])
    await user.merge({ name: `${marker} ${user.role}` }).save()
  ids.user = tenant.user.id
  const exUser = await UserFactory.merge({
    organizationId: orgId,
    role: 'pbx_user',
    name: `${marker} former`,
  }).create()
  await softDelete('users', exUser.id)
  ids['trashed:user'] = exUser.id

  const ext101 = await makeExtension(org, {
    number: '101',
    name: `${marker} Ext 101`,
    userId: tenant.user.id,
    voicemailEnabled: true,
  })
  const ext102 = await makeExtension(org, { number: '102', name: `${marker} Ext 102` })
  const ext103 = await makeExtension(org, { number: '103', name: `${marker} Ext 103` })
  await softDelete('extensions', ext103.id)
  ids.extension = ext101.id
  ids['trashed:extension'] = ext103.id

  const message = await makeVoicemail(ext101, { callerName: `${marker} caller` })
  const oldMessage = await makeVoicemail(ext101, { callerName: `${marker} old caller` })
  await softDelete('voicemail_messages', oldMessage.id)
  ids.voicemail_message = message.id
  ids['trashed:voicemail_message'] = oldMessage.id

  const group = await makeRingGroup(org, [ext101, ext102], { name: `${marker} Sales` })
  const oldGroup = await makeRingGroup(org, [ext102], { name: `${marker} Old group` })
  await softDelete('ring_groups', oldGroup.id)
  ids.ring_group = group.id
  ids['trashed:ring_group'] = oldGroup.id

  const hours = await makeSchedule(org, { name: `${marker} Hours` })
  const oldHours = await makeSchedule(org, { name: `${marker} Old hours` })
  await softDelete('business_hours_schedules', oldHours.id)
  ids.business_hours = hours.id
  ids['trashed:business_hours'] = oldHours.id

  const menu = await makeMenu(org, { name: `${marker} Menu`, promptTtsText: `${marker} prompt` }, [
    { digit: '1', type: 'extension', id: ext101.id },
  ])
  const oldMenu = await makeMenu(org, { name: `${marker} Old menu` })
  await softDelete('ivr_menus', oldMenu.id)
  ids.ivr_menu = menu.id
  ids['trashed:ivr_menu'] = oldMenu.id

  const room = await makeRoom(org, { number: '800', name: `${marker} Room` })
  const oldRoom = await makeRoom(org, { number: '801', name: `${marker} Old room` })
  await softDelete('conference_rooms', oldRoom.id)
  ids.conference_room = room.id
  ids['trashed:conference_room'] = oldRoom.id

  const recording = await makeRecording(org, { name: `${marker} Prompt` })
  const oldRecording = await makeRecording(org, { name: `${marker} Old prompt` })
  await softDelete('recordings', oldRecording.id)
  ids.recording = recording.id
  ids['trashed:recording'] = oldRecording.id

  const did = `${didBase}01`
  const number = await makePhoneNumber(org, {
    number: did,
    friendlyName: `${marker} Main line`,
    routingType: 'extension',
    routingTargetId: ext101.id,
  })
  const oldNumber = await makePhoneNumber(org, {
    number: `${didBase}02`,
    friendlyName: `${marker} Old line`,
  })
  await softDelete('phone_numbers', oldNumber.id)
  ids.phone_number = number.id
  ids['trashed:phone_number'] = oldNumber.id

  const trunk = await TrunkFactory.merge({
    organizationId: orgId,
    name: `${marker} Trunk`,
  }).create()
  const oldTrunk = await TrunkFactory.merge({
    organizationId: orgId,
    name: `${marker} Old trunk`,
  }).create()
  await softDelete('trunks', oldTrunk.id)
  ids.trunk = trunk.id
  ids['trashed:trunk'] = oldTrunk.id
  const route = await OutboundRouteFactory.merge({
    organizationId: orgId,
    name: `${marker} Route`,
    prefix: '+',
  }).create()
  await attachTrunks(route, [trunk])
  const oldRoute = await OutboundRouteFactory.merge({
    organizationId: orgId,
    name: `${marker} Old route`,
  }).create()
  await attachTrunks(oldRoute, [trunk])
  await softDelete('outbound_routes', oldRoute.id)
  ids.outbound_route = route.id
  ids['trashed:outbound_route'] = oldRoute.id
  const rule = await OutboundRuleFactory.merge({
    organizationId: orgId,
    kind: 'allow',
    prefix: '+44',
    description: `${marker} UK`,
  }).create()
  const oldRule = await OutboundRuleFactory.merge({
    organizationId: orgId,
    description: `${marker} old rule`,
  }).create()
  await softDelete('outbound_rules', oldRule.id)
  ids.outbound_rule = rule.id
  ids['trashed:outbound_rule'] = oldRule.id

  const caller = `${didBase}99`
  const [log] = await insertCallLogs(orgId, 1, { from_number: caller, to_number: '101' })
  const [cdrId] = await insertCdrs(orgId, 1, { from: caller, to: '101', domain: org.sipDomain })
  ids.call_log = log
  const [live] = await insertCallLogs(orgId, 1, {
    from_number: caller,
    to_number: '102',
    status: 'answered',
    answered_at: new Date(),
  })
  ids.active_call = live
  const callId = (await db.from('call_logs').where('id', log).firstOrFail()).call_id as string
  ids.cdr = cdrId
  const secret = await db
    .from('webhook_secrets')
    .where('organization_id', orgId)
    .orderBy('id', 'desc')
    .firstOrFail()
  ids.webhook_secret = secret.id
  const token = await tokenFor(tenant.owner)
  const spare = await User.accessTokens.create(tenant.admin, ['*'], { name: `${marker} token` })
  ids.access_token = Number(spare.identifier)

  const emails = [tenant.owner, tenant.admin, tenant.user, tenant.reporter, exUser].map(
    (u) => u.email,
  )
  return {
    ...tenant,
    marker,
    ids,
    token,
    secrets: tenant.secrets,
    fingerprints: [marker, org.sipDomain, did, caller, ...emails, ...tenant.secrets],
    numbers: { did, caller },
    callId,
  }
}

/** Which fingerprints of `tenant` a response text contains (none is the only good answer). */
export function leaks(text: string, tenant: WorldTenant) {
  const lower = text.toLowerCase()
  return tenant.fingerprints.filter((f) => lower.includes(f.toLowerCase()))
}

/**
 * Every row of every table that has an organization_id, for one organization: equal
 * before and after the matrix means nothing of B was written, restored or deleted.
 */
export async function snapshot(organizationId: number) {
  const tables: { table_name: string }[] = await db
    .from('information_schema.columns')
    .where('table_schema', 'public')
    .where('column_name', 'organization_id')
    .select('table_name')
    .orderBy('table_name')
  const out: Record<string, unknown[]> = {}
  for (const { table_name: table } of tables) {
    out[table] = await db
      .from(table)
      .where('organization_id', organizationId)
      .orderBy('id')
      .select('*')
  }
  out.organizations = await db.from('organizations').where('id', organizationId)
  // Tokens belong to users, not to the organization directly; last_used_at moves on use.
  out.auth_access_tokens = await db
    .from('auth_access_tokens')
    .whereIn('tokenable_id', db.from('users').where('organization_id', organizationId).select('id'))
    .orderBy('id')
    .select('id', 'tokenable_id', 'name', 'hash', 'abilities', 'expires_at')
  return JSON.parse(JSON.stringify(out)) as Record<string, unknown[]>
}
