import { test } from '@japa/runner'
import type { ApiClient, ApiRequest } from '@japa/api-client'
import router from '@adonisjs/core/services/router'
import redis from '@adonisjs/redis/services/main'
import { isolate, FACTORY_PASSWORD, tokenFor } from '#tests/helpers'
import { cdr, post, sessionUpdate } from '#tests/functional/webhooks/support'
import { voice, verbs } from '#tests/functional/voice/support'
import {
  buildTenant,
  leaks,
  snapshot,
  type ParamKind,
  type WorldTenant,
} from '#tests/reliability/support/tenant_world'

/*
 * R12: the tenant-isolation matrix, generated from the router's route table. Tenant A's
 * owner (every right inside A) calls every /api/v1 route with tenant B's ids, and every
 * voice and webhook route with A's credentials and B's ids or calls. Both tenants have the
 * same extension numbers. Pass: 404 for every foreign id, no fingerprint of B in any body,
 * and B's rows byte-for-byte unchanged afterwards.
 *
 * MATRIX below is the explicit fixture map: one entry per route (METHOD + pattern). A route
 * the router has and the map lacks fails the suite, so a new endpoint cannot ship without
 * being added here; an entry for a route that no longer exists fails too.
 */

type World = { a: WorldTenant; b: WorldTenant }

type Entry =
  /** The route names B's row in its params: 404, nothing disclosed. */
  | { kind: 'foreign'; params: Record<string, ParamKind>; body?: (w: World) => object }
  /** A collection of the caller's tenant: 2xx and none of B's rows. */
  | { kind: 'list'; query?: Record<string, string> }
  /** Acts on the caller itself (profile, settings, sign-in): expected status, no B data. */
  | {
      kind: 'own'
      expect: number[]
      body?: (w: World) => object
      /** Uses a token of its own (the request ends or changes the session). */
      freshToken?: boolean
      anonymous?: boolean
    }
  /** A write naming B's ids inside its body: 422 on that field. */
  | { kind: 'foreign-ref'; body: (w: World) => object; field: string }
  /** Execution plane, CXML: A's signed request naming B's ids in the action query. */
  | { kind: 'voice'; query: (w: World) => Record<string, string> }
  /** Execution plane, JSON webhooks: see webhookChecks(). */
  | { kind: 'webhook'; body: (w: World, callId: string) => object }
  /** Platform routes (edge-signed or staff): every tenant credential is refused. */
  | { kind: 'platform'; params?: Record<string, 'realm' | 'user' | 'organization' | 'ip'> }

const id = (kind: ParamKind) => ({ id: kind })
const hijack = () => ({ name: 'Hijacked by A' })

const MATRIX: Record<string, Entry> = {
  // identity
  'GET /api/v1/openapi.json': { kind: 'own', expect: [200] },
  'POST /api/v1/auth/login': {
    kind: 'own',
    expect: [201],
    anonymous: true,
    body: (w) => ({ email: w.a.owner.email, password: FACTORY_PASSWORD }),
  },
  'GET /api/v1/auth/me': { kind: 'own', expect: [200] },
  'DELETE /api/v1/auth/session': { kind: 'own', expect: [200, 204], freshToken: true },
  'PUT /api/v1/profile/password': {
    kind: 'own',
    expect: [422],
    body: () => ({ currentPassword: 'not-the-password', password: 'Another-pass-2026' }),
  },
  'GET /api/v1/auth/tokens': { kind: 'list' },
  'POST /api/v1/auth/tokens': { kind: 'own', expect: [201], body: () => ({ name: 'matrix' }) },
  'DELETE /api/v1/auth/tokens/:id': { kind: 'foreign', params: id('access_token') },
  'GET /api/v1/organization': { kind: 'own', expect: [200] },
  'PUT /api/v1/organization': {
    kind: 'own',
    expect: [200],
    body: (w) => ({ name: `${w.a.marker} Org` }),
  },
  'GET /api/v1/users': { kind: 'list', query: { perPage: '100', trashed: 'with' } },
  'POST /api/v1/users': {
    kind: 'own',
    expect: [201],
    body: () => ({
      name: 'New colleague',
      email: `new-${Date.now()}@a.test`,
      password: 'Colleague-pass-2026',
      role: 'reporter',
    }),
  },
  'GET /api/v1/users/:id': { kind: 'foreign', params: id('user') },
  'PATCH /api/v1/users/:id': { kind: 'foreign', params: id('user'), body: hijack },
  'PUT /api/v1/users/:id': { kind: 'foreign', params: id('user'), body: hijack },
  'DELETE /api/v1/users/:id': { kind: 'foreign', params: id('user') },
  'POST /api/v1/users/:id/restore': { kind: 'foreign', params: id('trashed:user') },

  // extensions and voicemail
  'GET /api/v1/extensions': { kind: 'list', query: { perPage: '100', trashed: 'with' } },
  'POST /api/v1/extensions': {
    kind: 'foreign-ref',
    body: (w) => ({ number: '150', name: 'X', type: 'user', userId: w.b.user.id }),
    field: 'userId',
  },
  'GET /api/v1/extensions/:id': { kind: 'foreign', params: id('extension') },
  'PATCH /api/v1/extensions/:id': { kind: 'foreign', params: id('extension'), body: hijack },
  'DELETE /api/v1/extensions/:id': { kind: 'foreign', params: id('extension') },
  'POST /api/v1/extensions/:id/restore': { kind: 'foreign', params: id('trashed:extension') },
  'POST /api/v1/extensions/:id/sip-password': { kind: 'foreign', params: id('extension') },
  'PUT /api/v1/extensions/:id/dnd': { kind: 'foreign', params: id('extension') },
  'DELETE /api/v1/extensions/:id/dnd': { kind: 'foreign', params: id('extension') },
  'PUT /api/v1/extensions/:id/forwarding': {
    kind: 'foreign',
    params: id('extension'),
    body: () => ({ always: { enabled: false } }),
  },
  'PUT /api/v1/extensions/:id/follow-me': {
    kind: 'foreign',
    params: id('extension'),
    body: () => ({ enabled: false, numbers: [] }),
  },
  'GET /api/v1/extensions/:id/voicemail-box': { kind: 'foreign', params: id('extension') },
  'PUT /api/v1/extensions/:id/voicemail-box': {
    kind: 'foreign',
    params: id('extension'),
    body: () => ({ notify: false }),
  },
  'PUT /api/v1/extensions/:id/voicemail-box/greeting': { kind: 'foreign', params: id('extension') },
  'GET /api/v1/extensions/:id/voicemail-messages': { kind: 'foreign', params: id('extension') },
  'PATCH /api/v1/voicemail-messages/:id': {
    kind: 'foreign',
    params: id('voicemail_message'),
    body: () => ({ read: true }),
  },
  'DELETE /api/v1/voicemail-messages/:id': { kind: 'foreign', params: id('voicemail_message') },
  'POST /api/v1/voicemail-messages/:id/restore': {
    kind: 'foreign',
    params: id('trashed:voicemail_message'),
  },
  'GET /api/v1/voicemail-messages/:id/audio': { kind: 'foreign', params: id('voicemail_message') },

  // media
  'GET /api/v1/conference-rooms': { kind: 'list', query: { perPage: '100', trashed: 'with' } },
  'POST /api/v1/conference-rooms': {
    kind: 'own',
    expect: [201],
    body: () => ({ number: '850', name: 'A room' }),
  },
  'GET /api/v1/conference-rooms/:id': { kind: 'foreign', params: id('conference_room') },
  'PATCH /api/v1/conference-rooms/:id': {
    kind: 'foreign',
    params: id('conference_room'),
    body: hijack,
  },
  'PUT /api/v1/conference-rooms/:id': {
    kind: 'foreign',
    params: id('conference_room'),
    body: hijack,
  },
  'DELETE /api/v1/conference-rooms/:id': { kind: 'foreign', params: id('conference_room') },
  'POST /api/v1/conference-rooms/:id/restore': {
    kind: 'foreign',
    params: id('trashed:conference_room'),
  },
  'GET /api/v1/recordings': { kind: 'list', query: { perPage: '100', trashed: 'with' } },
  'POST /api/v1/recordings': {
    kind: 'own',
    expect: [201],
    body: () => ({ name: 'A prompt', remoteUrl: 'https://93.184.216.34/a.wav' }),
  },
  'GET /api/v1/recordings/:id': { kind: 'foreign', params: id('recording') },
  'GET /api/v1/recordings/:id/url': { kind: 'foreign', params: id('recording') },
  'PATCH /api/v1/recordings/:id': { kind: 'foreign', params: id('recording'), body: hijack },
  'PUT /api/v1/recordings/:id': { kind: 'foreign', params: id('recording'), body: hijack },
  'DELETE /api/v1/recordings/:id': { kind: 'foreign', params: id('recording') },
  'POST /api/v1/recordings/:id/restore': { kind: 'foreign', params: id('trashed:recording') },

  // trunks, outbound routes and rules
  'GET /api/v1/trunks': { kind: 'list', query: { perPage: '100', trashed: 'with' } },
  'POST /api/v1/trunks': {
    kind: 'own',
    expect: [201],
    body: () => ({
      name: 'A carrier',
      kind: 'ip',
      host: 'sip.a-carrier.example',
      allowedCidrs: ['198.51.100.0/24'],
    }),
  },
  'GET /api/v1/trunks/:id': { kind: 'foreign', params: id('trunk') },
  'PATCH /api/v1/trunks/:id': { kind: 'foreign', params: id('trunk'), body: hijack },
  'PUT /api/v1/trunks/:id': { kind: 'foreign', params: id('trunk'), body: hijack },
  'DELETE /api/v1/trunks/:id': { kind: 'foreign', params: id('trunk') },
  'POST /api/v1/trunks/:id/restore': { kind: 'foreign', params: id('trashed:trunk') },
  'GET /api/v1/outbound-routes': { kind: 'list', query: { perPage: '100', trashed: 'with' } },
  'POST /api/v1/outbound-routes': {
    kind: 'foreign-ref',
    body: (w) => ({ name: 'Via B', prefix: '+', trunkIds: [w.b.ids.trunk] }),
    field: 'trunkIds.0',
  },
  'POST /api/v1/outbound-routes/resolve': {
    kind: 'own',
    expect: [200],
    body: () => ({ number: '+442079460000' }),
  },
  'GET /api/v1/outbound-routes/:id': { kind: 'foreign', params: id('outbound_route') },
  'PATCH /api/v1/outbound-routes/:id': {
    kind: 'foreign',
    params: id('outbound_route'),
    body: hijack,
  },
  'PUT /api/v1/outbound-routes/:id': {
    kind: 'foreign',
    params: id('outbound_route'),
    body: hijack,
  },
  'DELETE /api/v1/outbound-routes/:id': { kind: 'foreign', params: id('outbound_route') },
  'POST /api/v1/outbound-routes/:id/restore': {
    kind: 'foreign',
    params: id('trashed:outbound_route'),
  },
  'GET /api/v1/outbound-rules': { kind: 'list', query: { perPage: '100', trashed: 'with' } },
  'POST /api/v1/outbound-rules': {
    kind: 'own',
    expect: [201],
    body: () => ({ kind: 'deny', prefix: '+979' }),
  },
  'GET /api/v1/outbound-rules/:id': { kind: 'foreign', params: id('outbound_rule') },
  'PATCH /api/v1/outbound-rules/:id': {
    kind: 'foreign',
    params: id('outbound_rule'),
    body: () => ({ kind: 'deny' }),
  },
  'PUT /api/v1/outbound-rules/:id': {
    kind: 'foreign',
    params: id('outbound_rule'),
    body: () => ({ kind: 'deny' }),
  },
  'DELETE /api/v1/outbound-rules/:id': { kind: 'foreign', params: id('outbound_rule') },
  'POST /api/v1/outbound-rules/:id/restore': {
    kind: 'foreign',
    params: id('trashed:outbound_rule'),
  },

  // settings, call history, profile
  'GET /api/v1/settings': { kind: 'own', expect: [200] },
  'PUT /api/v1/settings': {
    kind: 'own',
    expect: [200],
    body: () => ({ cloudonix: { noAnswerTimeout: 25 } }),
  },
  'GET /api/v1/settings/webhook-secrets': { kind: 'list' },
  'GET /api/v1/settings/outbound-suspension': { kind: 'own', expect: [200] },
  'DELETE /api/v1/settings/outbound-suspension': { kind: 'own', expect: [200] },
  'POST /api/v1/settings/webhook-secrets/rotate': { kind: 'own', expect: [201, 200] },
  'DELETE /api/v1/settings/webhook-secrets/:id': {
    kind: 'foreign',
    params: id('webhook_secret'),
  },
  'GET /api/v1/call-logs/export.csv': { kind: 'list' },
  'GET /api/v1/call-logs': { kind: 'list', query: { perPage: '100' } },
  'GET /api/v1/call-logs/:id': { kind: 'foreign', params: id('call_log') },
  'GET /api/v1/call-logs/:id/timeline': { kind: 'foreign', params: id('call_log') },
  'GET /api/v1/call-logs/:id/recording': { kind: 'foreign', params: id('call_log') },
  'GET /api/v1/calls/active': { kind: 'list' },
  'POST /api/v1/calls/:id/hangup': { kind: 'foreign', params: id('active_call') },
  'POST /api/v1/calls/:id/transfer': {
    kind: 'foreign',
    params: id('active_call'),
    body: () => ({ target: '101' }),
  },
  'POST /api/v1/system/reload': { kind: 'platform' },
  'GET /api/v1/cdrs': { kind: 'list', query: { perPage: '100' } },
  'GET /api/v1/cdrs/:id': { kind: 'foreign', params: id('cdr') },
  'GET /api/v1/profile': { kind: 'own', expect: [200] },
  'PUT /api/v1/profile': { kind: 'own', expect: [200], body: () => ({ name: 'A owner' }) },

  // ring groups
  'GET /api/v1/ring-groups': { kind: 'list', query: { perPage: '100', trashed: 'with' } },
  'POST /api/v1/ring-groups': {
    kind: 'foreign-ref',
    body: (w) => ({
      name: 'Poached',
      strategy: 'simultaneous',
      members: [{ extensionId: w.b.ids.extension, priority: 1 }],
    }),
    field: 'members.0.extensionId',
  },
  'GET /api/v1/ring-groups/:id': { kind: 'foreign', params: id('ring_group') },
  'PATCH /api/v1/ring-groups/:id': { kind: 'foreign', params: id('ring_group'), body: hijack },
  'PUT /api/v1/ring-groups/:id': { kind: 'foreign', params: id('ring_group'), body: hijack },
  'DELETE /api/v1/ring-groups/:id': { kind: 'foreign', params: id('ring_group') },
  'POST /api/v1/ring-groups/:id/restore': { kind: 'foreign', params: id('trashed:ring_group') },

  // business hours
  'GET /api/v1/business-hours': { kind: 'list', query: { perPage: '100', trashed: 'with' } },
  'POST /api/v1/business-hours': {
    kind: 'foreign-ref',
    body: (w) => ({
      name: 'Poached hours',
      timezone: 'UTC',
      openTarget: { type: 'extension', id: w.b.ids.extension },
      closedTarget: { type: 'hangup' },
    }),
    field: 'openTarget.id',
  },
  'GET /api/v1/business-hours/:id': { kind: 'foreign', params: id('business_hours') },
  'GET /api/v1/business-hours/:id/status': { kind: 'foreign', params: id('business_hours') },
  'PATCH /api/v1/business-hours/:id': {
    kind: 'foreign',
    params: id('business_hours'),
    body: hijack,
  },
  'PUT /api/v1/business-hours/:id': { kind: 'foreign', params: id('business_hours'), body: hijack },
  'DELETE /api/v1/business-hours/:id': { kind: 'foreign', params: id('business_hours') },
  'POST /api/v1/business-hours/:id/restore': {
    kind: 'foreign',
    params: id('trashed:business_hours'),
  },
  'POST /api/v1/business-hours/:id/duplicate': { kind: 'foreign', params: id('business_hours') },

  // IVR
  'GET /api/v1/ivr-menus': { kind: 'list', query: { perPage: '100', trashed: 'with' } },
  'POST /api/v1/ivr-menus': {
    kind: 'foreign-ref',
    body: (w) => ({
      name: 'Poached menu',
      prompt: { ttsText: 'Hello' },
      options: [{ digit: '1', target: { type: 'extension', id: w.b.ids.extension } }],
    }),
    field: 'options.0.target.id',
  },
  'GET /api/v1/ivr-menus/:id': { kind: 'foreign', params: id('ivr_menu') },
  'PATCH /api/v1/ivr-menus/:id': { kind: 'foreign', params: id('ivr_menu'), body: hijack },
  'DELETE /api/v1/ivr-menus/:id': { kind: 'foreign', params: id('ivr_menu') },
  'POST /api/v1/ivr-menus/:id/restore': { kind: 'foreign', params: id('trashed:ivr_menu') },

  // phone numbers
  'GET /api/v1/phone-numbers': { kind: 'list', query: { perPage: '100', trashed: 'with' } },
  'POST /api/v1/phone-numbers': {
    kind: 'foreign-ref',
    body: (w) => ({
      number: '+4971100000',
      routing: { type: 'extension', id: w.b.ids.extension },
    }),
    field: 'routing.id',
  },
  'GET /api/v1/phone-numbers/:id': { kind: 'foreign', params: id('phone_number') },
  'PATCH /api/v1/phone-numbers/:id': {
    kind: 'foreign',
    params: id('phone_number'),
    body: () => ({ friendlyName: 'Hijacked' }),
  },
  'DELETE /api/v1/phone-numbers/:id': { kind: 'foreign', params: id('phone_number') },
  'POST /api/v1/phone-numbers/:id/restore': {
    kind: 'foreign',
    params: id('trashed:phone_number'),
  },

  // execution plane: voice (CXML) with B's ids in A's signed request
  'GET|POST /api/voice/route': { kind: 'voice', query: () => ({}) },
  'GET|POST /api/voice/dial-result': {
    kind: 'voice',
    query: (w) => ({ extension: String(w.b.ids.extension) }),
  },
  'GET|POST /api/voice/ring-group-callback': {
    kind: 'voice',
    query: (w) => ({ group: String(w.b.ids.ring_group), stage: '0', start: '0' }),
  },
  'GET|POST /api/voice/ivr-input': {
    kind: 'voice',
    query: (w) => ({ menu: String(w.b.ids.ivr_menu), attempt: '0' }),
  },
  'GET|POST /api/voice/conference-pin': {
    kind: 'voice',
    query: (w) => ({ room: String(w.b.ids.conference_room), attempt: '0' }),
  },
  'GET|POST /api/voice/voicemail-menu': {
    kind: 'voice',
    query: (w) => ({ extension: String(w.b.ids.extension), step: 'pin', attempt: '0' }),
  },
  'GET|POST /api/voice/voicemail-complete': {
    kind: 'voice',
    query: (w) => ({ extension: String(w.b.ids.extension) }),
  },

  // execution plane: webhooks naming B's calls
  'POST /api/webhooks/cloudonix/session-update': {
    kind: 'webhook',
    body: (w, callId) => sessionUpdate(w.a.domain, callId, { status: 'ringing' }),
  },
  'POST /api/webhooks/cloudonix/cdr': {
    kind: 'webhook',
    body: (w, callId) => cdr(w.a.domain, callId),
  },
  'POST /api/webhooks/call-initiated': {
    kind: 'webhook',
    body: (_w, callId) => ({ call_id: callId, from: '+15550001111', to: '+15550002222' }),
  },
  'POST /api/webhooks/call-answered': {
    kind: 'webhook',
    body: (_w, callId) => ({ call_id: callId }),
  },
  'POST /api/webhooks/call-ended': {
    kind: 'webhook',
    body: (_w, callId) => ({ call_id: callId, status: 'completed' }),
  },
  'POST /api/webhooks/call-status': {
    kind: 'webhook',
    body: (_w, callId) => ({ call_id: callId, status: 'busy' }),
  },

  // edge-signed platform lookups (not tenant-scoped: the edge serves every tenant)
  'GET /api/edge/sip-realms/:realm': { kind: 'platform', params: { realm: 'realm' } },
  'GET /api/edge/sip-realms/:realm/users/:username': {
    kind: 'platform',
    params: { realm: 'realm', username: 'user' },
  },
  'GET /api/edge/organizations/:organizationId/outbound-plan': {
    kind: 'platform',
    params: { organizationId: 'organization' },
  },
  'GET /api/edge/organizations/:organizationId/mailboxes/:username': {
    kind: 'platform',
    params: { organizationId: 'organization', username: 'user' },
  },
  'GET /api/edge/registration-trunks': { kind: 'platform' },
  'GET /api/edge/trunks/by-source/:ip': { kind: 'platform', params: { ip: 'ip' } },
  'POST /api/edge/recordings': { kind: 'platform' },
}

const IN_SCOPE = /^\/api\/(v1|voice|webhooks|edge)\//

/** Every in-scope route of the router as "METHOD pattern" (GET|POST when one route has both). */
function routeTable() {
  const keys: string[] = []
  for (const routes of Object.values(router.toJSON())) {
    for (const route of routes) {
      if (!IN_SCOPE.test(route.pattern)) continue
      const methods = route.methods.filter((m) => m !== 'HEAD')
      keys.push(`${methods.join('|')} ${route.pattern}`)
    }
  }
  return keys
}

function fill(pattern: string, params: Record<string, string | number | undefined>) {
  return pattern.replace(/:(\w+)/g, (_, name: string) => {
    const value = params[name]
    if (value === undefined) throw new Error(`${pattern}: no fixture for :${name}`)
    return encodeURIComponent(String(value))
  })
}

/* The per-user API budget is 60/min: the matrix clears the limiter between requests. */
async function clearLimits() {
  const keys = await redis.keys('rlflx*')
  if (keys.length > 0) await redis.del(...keys)
}

type Finding = { route: string; problem: string }

async function apiCall(
  client: ApiClient,
  method: string,
  url: string,
  token: string | null,
  body?: object,
  query?: Record<string, string>,
) {
  await clearLimits()
  let request: ApiRequest = client.request(url, method as 'GET')
  if (token) request = request.bearerToken(token)
  if (query) request = request.qs(query)
  if (body) request = request.json(body)
  const response = await request
  return { status: response.status(), text: response.text(), body: response.body() }
}

async function checkApiRoute(
  client: ApiClient,
  w: World,
  key: string,
  entry: Entry,
  findings: Finding[],
) {
  const [method, pattern] = key.split(' ')
  const fail = (problem: string) => findings.push({ route: key, problem })
  if (entry.kind === 'foreign') {
    const params = Object.fromEntries(
      Object.entries(entry.params).map(([name, kind]) => [name, w.b.ids[kind]]),
    )
    const response = await apiCall(
      client,
      method,
      fill(pattern, params),
      w.a.token,
      entry.body?.(w),
    )
    if (response.status !== 404) fail(`status ${response.status}, expected 404: ${response.text}`)
    else if (response.body?.error?.code !== 'E_NOT_FOUND') fail(`not E_NOT_FOUND: ${response.text}`)
    const leaked = leaks(response.text, w.b)
    if (leaked.length > 0) fail(`discloses ${leaked.join(', ')}`)
  } else if (entry.kind === 'list') {
    const response = await apiCall(client, method, pattern, w.a.token, undefined, entry.query)
    if (response.status !== 200) fail(`status ${response.status}: ${response.text}`)
    const leaked = leaks(response.text, w.b)
    if (leaked.length > 0) fail(`lists B's rows: ${leaked.join(', ')}`)
    // A list that shows nothing proves nothing: A's own rows must be there.
    if (!leaks(response.text, w.a).length && !/tokens|webhook-secrets/.test(pattern))
      fail(`shows none of A's rows either: ${response.text.slice(0, 200)}`)
  } else if (entry.kind === 'own') {
    const token = entry.anonymous ? null : entry.freshToken ? await tokenFor(w.a.owner) : w.a.token
    const response = await apiCall(client, method, pattern, token, entry.body?.(w))
    if (!entry.expect.includes(response.status))
      fail(`status ${response.status}, expected ${entry.expect.join('/')}: ${response.text}`)
    const leaked = leaks(response.text, w.b)
    if (leaked.length > 0) fail(`discloses ${leaked.join(', ')}`)
  } else if (entry.kind === 'foreign-ref') {
    const response = await apiCall(client, method, pattern, w.a.token, entry.body(w))
    const fields = (response.body?.error?.details?.fields ?? []).map(
      (f: { field: string }) => f.field,
    )
    if (response.status !== 422 || !fields.includes(entry.field))
      fail(`expected 422 on ${entry.field}, got ${response.status}: ${response.text}`)
    const leaked = leaks(response.text, w.b)
    if (leaked.length > 0) fail(`discloses ${leaked.join(', ')}`)
  }
}

/*
 * A's edge-signed voice request (A's domain) whose action query names B's rows, plus the
 * same on /route with B's DID as the called number: an apology (or a refusal) that
 * mentions nothing of B, never a Dial.
 */
async function checkVoiceRoute(w: World, key: string, entry: Entry, findings: Finding[]) {
  if (entry.kind !== 'voice') return
  const pattern = key.split(' ')[1]
  const query = new URLSearchParams(entry.query(w)).toString()
  const path = query ? `${pattern}?${query}` : pattern
  const fields: Record<string, unknown> = {
    From: '+15550001111',
    To: pattern.endsWith('/route') ? w.b.numbers.did : w.a.numbers.did,
    Domain: w.a.domain,
    Digits: '1',
    DialCallStatus: 'no-answer',
    RecordingUrl: 'https://93.184.216.34/vm.wav',
    RecordingDuration: '5',
  }
  await clearLimits()
  const answer = await voice(path, fields)
  const fail = (problem: string) => findings.push({ route: key, problem })
  if (answer.status === 200) {
    if (verbs(answer.root).includes('Dial')) fail(`dials: ${answer.xml}`)
  } else if (answer.status !== 404) fail(`status ${answer.status}: ${answer.xml}`)
  const leaked = leaks(answer.xml, w.b)
  if (leaked.length > 0) fail(`discloses ${leaked.join(', ')}`)
}

/*
 * Webhooks: (1) A's secret with B's domain is refused (401) and (2) A's own authenticated
 * webhook about B's call id only ever writes A's rows (B's snapshot is compared at the end).
 */
async function checkWebhookRoute(w: World, key: string, entry: Entry, findings: Finding[]) {
  if (entry.kind !== 'webhook') return
  const pattern = key.split(' ')[1]
  const fail = (problem: string) => findings.push({ route: key, problem })
  const bCall = w.b.callId
  await clearLimits()
  const asB = await post(pattern, entry.body(w, bCall), {
    bearer: w.a.secrets[0],
    domain: w.b.domain,
  })
  if (asB.status !== 401 && asB.status !== 404)
    fail(`B's domain with A's secret: ${asB.status} ${asB.text}`)
  if (leaks(asB.text, w.b).length > 0) fail(`discloses ${leaks(asB.text, w.b).join(', ')}`)
  const asA = await post(pattern, entry.body(w, bCall), {
    bearer: w.a.secrets[0],
    domain: w.a.domain,
  })
  if (asA.status >= 500) fail(`A's own webhook about B's call id: ${asA.status} ${asA.text}`)
  if (leaks(asA.text, w.b).length > 0) fail(`discloses ${leaks(asA.text, w.b).join(', ')}`)
}

/*
 * Edge lookups (the edge serves every realm) and staff operations are platform-wide: no
 * tenant credential (A's API token, A's webhook secret) opens them.
 */
async function checkPlatformRoute(w: World, key: string, entry: Entry, findings: Finding[]) {
  if (entry.kind !== 'platform') return
  const [method, pattern] = key.split(' ')
  const params = Object.fromEntries(
    Object.entries(entry.params ?? {}).map(([name, kind]) => {
      const values = {
        realm: w.b.domain,
        user: '101',
        organization: w.b.organization.id,
        ip: '198.51.100.7',
      }
      return [name, values[kind]]
    }),
  )
  const url = new URL(fill(pattern, params), `http://127.0.0.1:${process.env.PORT}`)
  for (const credential of [w.a.token, w.a.secrets[0]]) {
    await clearLimits()
    const response = await fetch(url, {
      method,
      headers: { authorization: `Bearer ${credential}`, accept: 'application/json' },
    })
    const text = await response.text()
    if (response.status !== 401 && response.status !== 403)
      findings.push({ route: key, problem: `tenant credential: status ${response.status} ${text}` })
    if (leaks(text, w.b).length > 0)
      findings.push({ route: key, problem: `discloses ${leaks(text, w.b).join(', ')}` })
  }
}

test.group('Reliability R12: tenant-isolation matrix', (group) => {
  isolate(group)

  test('the fixture map covers every /api/v1, voice, webhook and edge route', ({ assert }) => {
    const table = routeTable()
    const missing = table.filter((key) => !(key in MATRIX))
    const stale = Object.keys(MATRIX).filter((key) => !table.includes(key))
    assert.isAbove(table.length, 100, 'the router lists the application routes')
    assert.deepEqual(missing, [], 'routes missing from MATRIX in tenant_isolation_matrix.spec.ts')
    assert.deepEqual(stale, [], 'MATRIX entries for routes the router no longer has')
  })

  test('tenant A with tenant B ids: 404, nothing disclosed, nothing of B changed', async ({
    client,
    assert,
  }) => {
    const b = await buildTenant('B', '+4930555')
    const a = await buildTenant('A', '+4930444')
    const w: World = { a, b }
    const before = await snapshot(b.organization.id)
    const findings: Finding[] = []
    const counts: Record<string, number> = {}
    for (const key of routeTable()) {
      const entry = MATRIX[key]
      if (!entry) continue
      counts[entry.kind] = (counts[entry.kind] ?? 0) + 1
      if (entry.kind === 'voice') await checkVoiceRoute(w, key, entry, findings)
      else if (entry.kind === 'webhook') await checkWebhookRoute(w, key, entry, findings)
      else if (entry.kind === 'platform') await checkPlatformRoute(w, key, entry, findings)
      else await checkApiRoute(client, w, key, entry, findings)
    }
    const after = await snapshot(b.organization.id)
    for (const table of Object.keys(before)) {
      if (JSON.stringify(before[table]) !== JSON.stringify(after[table]))
        findings.push({ route: `(table ${table})`, problem: "B's rows changed" })
    }
    console.log(
      `isolation matrix: ${Object.values(counts).reduce((x, y) => x + y, 0)} routes ` +
        `(${Object.entries(counts)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}), ${findings.length} leaks`,
    )
    assert.deepEqual(findings, [])
  }).timeout(180_000)
})
