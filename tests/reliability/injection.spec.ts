import { test } from '@japa/runner'
import type { ApiClient } from '@japa/api-client'
import router from '@adonisjs/core/services/router'
import redis from '@adonisjs/redis/services/main'
import db from '@adonisjs/lucid/services/db'
import type Organization from '#models/organization'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeDid, makeExtension, voice } from '#tests/functional/voice/support'
import { attachTrunks, OutboundRouteFactory, TrunkFactory } from '#database/factories/trunk_factory'
import { insertCallLogs } from '#tests/functional/call_logs/fixtures'
import { parseCxml, type DialTarget } from '../../voip-edge/src/routing/cxml.js'
import { parseUri } from '../../voip-edge/src/sip/uri.js'

/*
 * R8 and the SQL half of R12: hostile dial strings, display names and forwarding targets
 * never produce a Dial to a destination the tenant does not allow, every value the app
 * echoes into CXML is escaped (the answer is parsed by the edge's own strict parser), and
 * SQL-looking sort/filter parameters on every list endpoint are a 422.
 */

const ALLOWED_PREFIX = '+44'

/* Each is tried as the dialled number, the caller id/name and a forwarding target. */
const PAYLOADS = [
  '+442079460000&+19005550100',
  '+442079460000;+19005550100',
  '+442079460000,+19005550100',
  '+44207946%00+1900',
  '+442079460000\u0000+19005550100',
  'sip:+19005550100@evil.example',
  'sip:102@evil.example;host=TENANT',
  'sip:102@TENANT@evil.example',
  'sip:102@TENANT:5060@evil.example',
  'sip:102@TENANT;maddr=198.51.100.7',
  'sips:attacker@198.51.100.7',
  'tel:+19005550100',
  'tel:+442079460000;phone-context=+1900',
  '<sip:+19005550100@evil.example>',
  `+44${'9'.repeat(200)}`,
  '9'.repeat(200),
  '00 1 900 555 0100',
  '+1 (900) 555-0100',
  '+8812345678',
  '</Number></Dial><Dial><Number>+19005550100</Number></Dial><Dial><Number>',
  '</Sip><Sip>sip:x@evil.example</Sip>',
  '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
  '<!ENTITY xxe "+19005550100">',
  '"><Redirect>http://evil.example/cxml</Redirect>',
  ']]><Hangup/>',
  '102\r\nX-Injected: 1',
  "102' OR '1'='1",
]

const forTenant = (payload: string, organization: Organization) =>
  payload.replaceAll('TENANT', organization.sipDomain)

type Judged = { dials: number; findings: string[] }

/**
 * What the edge would do with this answer: parse it strictly, and judge every Dial target.
 * Allowed: an E.164 number under the tenant's allow rule, or a SIP URI of the tenant's own
 * domain whose user is one of the tenant's extensions.
 */
function judge(xml: string, organization: Organization, payload: string, extensions: string[]) {
  const findings: string[] = []
  let dials = 0
  let verbs
  try {
    verbs = parseCxml(xml)
  } catch (error) {
    return { dials, findings: [`not well-formed CXML (${(error as Error).message}): ${xml}`] }
  }
  const dangerous = /[<&]/.test(payload)
  if (dangerous && xml.includes(payload)) findings.push(`payload echoed unescaped: ${xml}`)
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) findings.push(`markup declaration in answer: ${xml}`)
  for (const verb of verbs) {
    if (verb.verb === 'Redirect') findings.push(`redirect to ${verb.url}`)
    if (verb.verb !== 'Dial') continue
    for (const target of verb.targets) {
      dials += 1
      const problem = targetProblem(target, organization, extensions)
      if (problem) findings.push(`${problem}: ${xml}`)
    }
  }
  return { dials, findings }
}

function targetProblem(target: DialTarget, organization: Organization, extensions: string[]) {
  if (target.kind === 'number') {
    if (!/^\+\d{2,20}$/.test(target.number)) return `dials malformed number ${target.number}`
    if (!target.number.startsWith(ALLOWED_PREFIX)) return `dials ${target.number}`
    return null
  }
  let uri
  try {
    uri = parseUri(target.uri)
  } catch {
    return `dials unparseable SIP URI ${target.uri}`
  }
  if (uri.host.toLowerCase() !== organization.sipDomain.toLowerCase())
    return `dials foreign host ${uri.host}`
  if (uri.params.has('maddr')) return `dials with maddr ${uri.params.get('maddr')}`
  if (!uri.user || !extensions.includes(uri.user)) return `dials unknown user ${uri.user}`
  return null
}

/* Tenant A: phones 101/102, outbound allowed to +44 only (whitelist) through one trunk. */
async function dialPlan() {
  const tenant = await createTenant()
  const { organization } = tenant
  await makeExtension(organization, { number: '101' })
  await makeExtension(organization, { number: '102' })
  const trunk = await TrunkFactory.merge({ organizationId: organization.id }).create()
  const route = await OutboundRouteFactory.merge({
    organizationId: organization.id,
    name: 'Everything',
    prefix: '+',
  }).create()
  await attachTrunks(route, [trunk])
  await db.table('outbound_rules').insert({
    organization_id: organization.id,
    kind: 'allow',
    prefix: ALLOWED_PREFIX,
    created_at: new Date(),
    updated_at: new Date(),
  })
  return { tenant, organization, extensions: ['101', '102'] }
}

async function clearLimits() {
  const keys = await redis.keys('rlflx*')
  if (keys.length > 0) await redis.del(...keys)
}

test.group('Reliability R8: dial-string and CXML injection', (group) => {
  isolate(group)

  test('a tenant phone dialling hostile strings never reaches a non-allowed destination', async ({
    assert,
  }) => {
    const { organization, extensions } = await dialPlan()
    const allowed = await voice('/api/voice/route', {
      From: '101',
      To: '+442079460000',
      Direction: 'subscriber',
      Domain: organization.sipDomain,
    })
    // The judge can see a Dial: the allowed call is dialled, to exactly that number.
    assert.deepEqual(judge(allowed.xml, organization, '', extensions), { dials: 1, findings: [] })
    const findings: string[] = []
    let dials = 0
    for (const raw of PAYLOADS) {
      const payload = forTenant(raw, organization)
      for (const fields of [
        { To: payload, CallerName: payload },
        { To: '+442079460000', CallerName: payload, From: '101' },
      ]) {
        const answer = await voice('/api/voice/route', {
          From: '101',
          Direction: 'subscriber',
          Domain: organization.sipDomain,
          ...fields,
        })
        if (answer.status !== 200) findings.push(`${JSON.stringify(payload)}: ${answer.status}`)
        const judged: Judged = judge(answer.xml, organization, payload, extensions)
        dials += judged.dials
        findings.push(...judged.findings.map((f) => `${JSON.stringify(payload)}: ${f}`))
      }
    }
    console.log(`injection (dialled): ${PAYLOADS.length * 2} requests, ${dials} allowed dials`)
    assert.deepEqual(findings, [])
    assert.isAtLeast(dials, PAYLOADS.length, 'the clean-destination requests were dialled')
  }).timeout(120_000)

  test('hostile caller ids and names on an inbound call ring only the DID target', async ({
    assert,
  }) => {
    const { organization, extensions } = await dialPlan()
    const [target] = await db
      .from('extensions')
      .where('organization_id', organization.id)
      .where('number', '101')
    const did = await makeDid(organization, 'extension', target.id)
    const findings: string[] = []
    for (const raw of PAYLOADS) {
      const payload = forTenant(raw, organization)
      const answer = await voice('/api/voice/route', {
        From: payload,
        To: did,
        CallerName: payload,
        Domain: organization.sipDomain,
      })
      const judged = judge(answer.xml, organization, payload, extensions)
      if (judged.dials !== 1) findings.push(`${JSON.stringify(payload)}: ${answer.xml}`)
      findings.push(...judged.findings)
    }
    assert.deepEqual(findings, [])
  }).timeout(120_000)

  test('hostile forwarding and follow-me targets: refused by the API or never dialled', async ({
    client,
    assert,
  }) => {
    const { tenant, organization, extensions } = await dialPlan()
    const [owner] = await db
      .from('extensions')
      .where('organization_id', organization.id)
      .where('number', '101')
    const did = await makeDid(organization, 'extension', owner.id)
    const token = await tokenFor(tenant.owner)
    const findings: string[] = []
    let accepted = 0
    for (const raw of PAYLOADS) {
      const payload = forTenant(raw, organization)
      for (const [path, body] of [
        ['forwarding', { always: { enabled: true, destination: payload } }],
        ['follow-me', { enabled: true, numbers: [{ number: payload, ringSeconds: 20 }] }],
      ] as const) {
        await clearLimits()
        const response = await client
          .put(`/api/v1/extensions/${owner.id}/${path}`)
          .bearerToken(token)
          .json(body)
        if (response.status() === 422) continue
        if (response.status() !== 200) {
          findings.push(`${path} ${JSON.stringify(payload)}: ${response.status()}`)
          continue
        }
        accepted += 1
        const answer = await voice('/api/voice/route', { From: '+15550001111', To: did })
        findings.push(
          ...judge(answer.xml, organization, payload, extensions).findings.map(
            (f) => `${path} ${JSON.stringify(payload)}: ${f}`,
          ),
        )
      }
    }
    await client
      .put(`/api/v1/extensions/${owner.id}/follow-me`)
      .bearerToken(token)
      .json({ enabled: false, numbers: [] })
    console.log(`injection (forwarding): ${accepted} hostile targets stored, all judged`)
    assert.deepEqual(findings, [])
  }).timeout(120_000)

  test('forward extensions stored without validation (old rows) are judged at routing', async ({
    assert,
  }) => {
    const { organization, extensions } = await dialPlan()
    const findings: string[] = []
    // PostgreSQL cannot store NUL in text, so no stored row can hold those payloads.
    const storable = PAYLOADS.filter((p) => !p.includes('\u0000'))
    for (const [index, raw] of storable.entries()) {
      const payload = forTenant(raw, organization)
      const forward = await makeExtension(organization, {
        number: String(600 + index),
        type: 'forward',
        configuration: { forward_to: payload },
      })
      const did = await makeDid(organization, 'extension', forward.id)
      const answer = await voice('/api/voice/route', { From: '+15550001111', To: did })
      findings.push(
        ...judge(answer.xml, organization, payload, extensions).findings.map(
          (f) => `${JSON.stringify(payload)}: ${f}`,
        ),
      )
    }
    assert.deepEqual(findings, [])
  }).timeout(120_000)

  test('hostile prefixes and numbers are refused by the outbound rule and resolve APIs', async ({
    client,
    assert,
  }) => {
    const { tenant, organization } = await dialPlan()
    const token = await tokenFor(tenant.owner)
    const findings: string[] = []
    // "+8812345678" is a well-formed prefix a tenant may choose to allow: not hostile here.
    const hostile = PAYLOADS.filter((p) => !/^\+\d{1,15}$/.test(p))
    for (const raw of hostile) {
      const payload = forTenant(raw, organization)
      await clearLimits()
      const rule = await client
        .post('/api/v1/outbound-rules')
        .bearerToken(token)
        .json({ kind: 'allow', prefix: payload })
      if (rule.status() !== 422) findings.push(`rule ${JSON.stringify(payload)}: ${rule.status()}`)
      const resolved = await client
        .post('/api/v1/outbound-routes/resolve')
        .bearerToken(token)
        .json({ number: payload })
      const verdict = resolved.body()?.data
      if (resolved.status() === 200 && verdict?.allowed && !verdict.dialledNumber.startsWith('+44'))
        findings.push(`resolve ${JSON.stringify(payload)} allowed ${verdict.dialledNumber}`)
      else if (![200, 422].includes(resolved.status()))
        findings.push(`resolve ${JSON.stringify(payload)}: ${resolved.status()}`)
    }
    const rules = await db.from('outbound_rules').where('organization_id', organization.id)
    assert.lengthOf(rules, 1, 'only the seeded +44 rule exists')
    assert.deepEqual(findings, [])
  }).timeout(120_000)
})

const SQL_SORTS = [
  'name;DROP TABLE users--',
  'id desc, (SELECT pg_sleep(1))',
  '(CASE WHEN 1=1 THEN name END)',
  'created_at) UNION SELECT password FROM users--',
  '-id;--',
  "name' OR '1'='1",
]
const SQL_FILTERS: Record<string, string>[] = [
  { perPage: '1 OR 1=1' },
  { page: '1;--' },
  { trashed: "with' OR '1'='1" },
  { status: "active' OR 1=1--" },
  { 'sort[]': 'name' },
]

/** Every GET /api/v1 route without params that answers a paginated list. */
async function listEndpoints(client: ApiClient, token: string) {
  const patterns = Object.values(router.toJSON())
    .flat()
    .filter((r) => r.methods.includes('GET') && /^\/api\/v1\/[^:]+$/.test(r.pattern))
    .map((r) => r.pattern)
  const lists: string[] = []
  for (const pattern of patterns) {
    await clearLimits()
    const response = await client.get(pattern).bearerToken(token)
    const body = response.body()
    if (response.status() === 200 && Array.isArray(body?.data) && body?.meta) lists.push(pattern)
  }
  return lists
}

test.group('Reliability R12: SQL-looking sort and filter parameters', (group) => {
  isolate(group)

  test('every list endpoint answers 422 to SQL in sort and filters, and escapes search', async ({
    client,
    assert,
  }) => {
    const { tenant, organization } = await dialPlan()
    await insertCallLogs(organization.id, 2)
    const token = await tokenFor(tenant.owner)
    const lists = await listEndpoints(client, token)
    assert.isAtLeast(lists.length, 12, `list endpoints found: ${lists.join(', ')}`)
    const findings: string[] = []
    const ignoring: string[] = []
    const get = async (list: string, query: Record<string, string>) => {
      await clearLimits()
      const response = await client.get(list).qs(query).bearerToken(token)
      return { status: response.status(), body: response.body(), text: response.text() }
    }
    for (const list of lists) {
      const baseline = await get(list, {})
      // Does the endpoint validate sort at all? An unknown column must then be a 422 too.
      const validatesSort = (await get(list, { sort: 'zz_not_a_column' })).status === 422
      if (!validatesSort) ignoring.push(list)
      for (const query of [...SQL_SORTS.map((sort) => ({ sort })), ...SQL_FILTERS]) {
        const response = await get(list, query)
        if (response.status === 422) continue
        // Otherwise the parameter must have been ignored: the very same answer as without it.
        const ignored =
          response.status === 200 &&
          JSON.stringify(response.body.data) === JSON.stringify(baseline.body.data)
        const mustValidate = 'sort' in query && validatesSort
        if (mustValidate || !ignored)
          findings.push(`${list} ${JSON.stringify(query)}: ${response.status} ${response.text}`)
      }
      const nothing = await get(list, { search: 'zz-matches-nothing' })
      const searches = nothing.status === 200 && nothing.body.data.length === 0
      const search = await get(list, { search: "' OR '1'='1" })
      if (searches && search.status === 200 && search.body.data.length > 0)
        findings.push(`${list}: SQL-looking search matched ${search.body.data.length} rows`)
      if (search.status >= 500) findings.push(`${list}: search ${search.status}`)
    }
    if (ignoring.length > 0) console.log(`lists that ignore sort entirely: ${ignoring.join(', ')}`)
    const [users] = await db.from('users').count('* as n')
    assert.isAbove(Number(users.n), 0, 'the users table is still there')
    console.log(
      `SQL parameters: ${lists.length} list endpoints × ${SQL_SORTS.length + SQL_FILTERS.length} hostile queries`,
    )
    assert.deepEqual(findings, [])
  }).timeout(120_000)
})
