/**
 * Toll-fraud guardrails (R13, issue #10), for what exists today:
 * - the app's outbound rules (built-in premium/satellite denials, and a tenant whitelist),
 *   checked end to end through signed /api/voice/route requests from a tenant phone;
 * - voip-edge's per-tenant concurrent-call and calls-per-second caps (TenantCallLimiter).
 * A spend/velocity rule that suspends a tenant does not exist yet: reported as such.
 */
import { randomUUID } from 'node:crypto'
import { signedHeaders } from '../../voip-edge/src/events/signer.ts'
import { parseCxml } from '../../voip-edge/src/routing/cxml.ts'
import { TenantCallLimiter } from '../../voip-edge/src/trunks/call_limits.ts'
import type { AppProcess } from '../lib/processes.ts'
import type { Seeded, Suite } from '../lib/suite.ts'
import type { Row } from '../lib/report.ts'
import { UNLIMITED } from './webhook_flood.ts'

const PREMIUM = [
  '+19005550100',
  '+19765550100',
  '+870772000000',
  '+881631000000',
  '+882345000000',
  '+883510000000',
  '+979123456789',
]
const NOT_WHITELISTED = ['+33142685300', '+4930123456', '+12125550100', '+861012345678']
const WHITELISTED = ['+442079460000', '+441612345678']

async function api(app: AppProcess, token: string, method: string, path: string, body: object) {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: JSON.stringify(body),
  })
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as { data: { id: number } }
}

async function dial(app: AppProcess, edgeSecret: string, domain: string, to: string) {
  const body = JSON.stringify({
    CallSid: randomUUID(),
    From: '100',
    To: to,
    Direction: 'subscriber',
    Domain: domain,
  })
  const url = new URL('/api/voice/route', app.url)
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signedHeaders(edgeSecret, randomUUID(), 'POST', url, body),
    },
    body,
  })
  const xml = await response.text()
  const verbs = parseCxml(xml)
  return verbs.some((verb) => verb.verb === 'Dial' && verb.targets.length > 0)
}

export async function tollFraud(
  app: AppProcess,
  seeded: Seeded,
  edgeSecret: string,
): Promise<Row[]> {
  const tenant = seeded.tenants[0]
  const owner = tenant.tokens[0]
  const rows: Row[] = []
  const trunk = await api(app, owner, 'POST', '/api/v1/trunks', {
    name: 'Fraud check carrier',
    kind: 'ip',
    host: 'sip.carrier.example',
    allowedCidrs: ['198.51.100.0/24'],
  })
  await api(app, owner, 'POST', '/api/v1/outbound-routes', {
    name: 'All',
    prefix: '+',
    trunkIds: [trunk.data.id],
  })

  // Without any allow rule: only the built-in premium/satellite ranges are refused.
  const premiumDialled = []
  for (const number of PREMIUM)
    if (await dial(app, edgeSecret, tenant.domain, number)) premiumDialled.push(number)
  const openDialled = []
  for (const number of NOT_WHITELISTED)
    if (await dial(app, edgeSecret, tenant.domain, number)) openDialled.push(number)
  rows.push({
    suite: 'Toll fraud: premium and satellite prefixes (no tenant rules)',
    criterion: '100 % refused; ordinary international numbers still dialled',
    figures: `${PREMIUM.length - premiumDialled.length}/${PREMIUM.length} premium refused${premiumDialled.length ? ` (dialled: ${premiumDialled.join(', ')})` : ''}; ${openDialled.length}/${NOT_WHITELISTED.length} ordinary dialled`,
    pass: premiumDialled.length === 0 && openDialled.length === NOT_WHITELISTED.length,
  })

  // With a whitelist (+44 only): everything else is refused, premium included.
  await api(app, owner, 'POST', '/api/v1/outbound-rules', { kind: 'allow', prefix: '+44' })
  const leaked = []
  for (const number of [...PREMIUM, ...NOT_WHITELISTED])
    if (await dial(app, edgeSecret, tenant.domain, number)) leaked.push(number)
  const allowed = []
  for (const number of WHITELISTED)
    if (await dial(app, edgeSecret, tenant.domain, number)) allowed.push(number)
  rows.push({
    suite: 'Toll fraud: tenant whitelist (+44)',
    criterion: 'non-whitelisted and premium 100 % refused; whitelisted dialled',
    figures: `${PREMIUM.length + NOT_WHITELISTED.length - leaked.length}/${PREMIUM.length + NOT_WHITELISTED.length} refused${leaked.length ? ` (dialled: ${leaked.join(', ')})` : ''}; ${allowed.length}/${WHITELISTED.length} whitelisted dialled`,
    pass: leaked.length === 0 && allowed.length === WHITELISTED.length,
  })

  // voip-edge caps, on the class the edge admits every call through.
  let now = 0
  const limiter = new TenantCallLimiter({ defaults: { maxCalls: 5, maxCps: 3 }, now: () => now })
  const admitted = Array.from({ length: 6 }, (_, i) => {
    now += 400 // 2.5 calls/s: under the CPS cap, so only the concurrency cap speaks
    return limiter.admit('org-1', `call-${i}`)
  })
  limiter.release('org-1', 'call-0')
  now += 400
  const afterRelease = limiter.admit('org-1', 'call-6')
  const burst = new TenantCallLimiter({ defaults: { maxCalls: 100, maxCps: 3 }, now: () => now })
  const burstResults = Array.from({ length: 4 }, (_, i) => burst.admit('org-1', `b-${i}`))
  now += 1001
  const nextSecond = burst.admit('org-1', 'b-4')
  const capOk =
    admitted.slice(0, 5).every((r) => r === null) && admitted[5] !== null && afterRelease === null
  const cpsOk =
    burstResults.slice(0, 3).every((r) => r === null) &&
    burstResults[3] !== null &&
    nextSecond === null
  rows.push({
    suite: 'Toll fraud: per-tenant concurrent-call cap (edge)',
    criterion: 'cap admitted, cap + 1 refused, a released slot is reusable',
    figures: `cap 5: ${admitted.filter((r) => r === null).length} admitted, 6th: "${admitted[5]}"; after a hang-up: ${afterRelease === null ? 'admitted' : afterRelease}`,
    pass: capOk,
  })
  rows.push({
    suite: 'Toll fraud: per-tenant calls-per-second cap (edge)',
    criterion: 'CPS cap enforced; the next second admits again',
    figures: `cap 3/s: ${burstResults.filter((r) => r === null).length} admitted, 4th: "${burstResults[3]}"; next second: ${nextSecond === null ? 'admitted' : nextSecond}`,
    pass: cpsOk,
  })
  rows.push({
    suite: 'Toll fraud: spend/velocity rule suspends outbound calling + alert',
    criterion: 'suspension within 60 s of crossing the threshold; log + metric + email',
    figures: 'not implemented: no spend or velocity rule exists in the app or the edge yet',
    pass: false,
  })
  return rows
}

export const suite: Suite = {
  name: 'fraud',
  order: 30,
  describe:
    'toll-fraud guardrails: premium prefixes, whitelist, per-tenant caps, spend/velocity (R13)',
  async run(ctx) {
    const seeded = await ctx.seeded()
    const app = await ctx.startApp(UNLIMITED)
    try {
      return await tollFraud(app, seeded, ctx.edgeSecret)
    } finally {
      await app.stop()
    }
  },
}
