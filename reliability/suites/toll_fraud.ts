/**
 * Toll-fraud guardrails (R13, issue #10), for what exists today:
 * - the app's outbound rules (built-in premium/satellite denials, and a tenant whitelist),
 *   checked end to end through signed /api/voice/route requests from a tenant phone;
 * - voip-edge's per-tenant concurrent-call and calls-per-second caps (TenantCallLimiter);
 * - the app's velocity rule (international/premium calls per hour, counted as the routing
 *   lets them out) and spend rule (billable outbound minutes per 24 h, counted from signed
 *   CDRs), each crossed by one tenant through the running app: outbound calling suspended,
 *   the alert raised (warn log, /metrics, email to the owner through the worker and a
 *   loopback SMTP listener), and dialling restored once an owner lifts it.
 */
import { randomUUID } from 'node:crypto'
import { signedHeaders } from '../../voip-edge/src/events/signer.ts'
import { parseCxml } from '../../voip-edge/src/routing/cxml.ts'
import { TenantCallLimiter } from '../../voip-edge/src/trunks/call_limits.ts'
import { sleep, type AppProcess } from '../lib/processes.ts'
import { startWorker } from '../lib/soak_processes.ts'
import { startSmtpSink, type SinkMail } from '../lib/toll_fraud_smtp.ts'
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

async function api(app: AppProcess, token: string, method: string, path: string, body?: object) {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: body ? JSON.stringify(body) : undefined,
  })
  if (response.status >= 300)
    throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as { data: { id: number } & Record<string, unknown> }
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
  return rows
}

/** Seconds a suspension may take to bite after the threshold is crossed (R13). */
const ALERT_BUDGET_MS = 60_000
const FRANCE = '+33142685300'
const NEW_YORK = '+12125550100'

async function carrier(app: AppProcess, owner: string) {
  const trunk = await api(app, owner, 'POST', '/api/v1/trunks', {
    name: 'Velocity check carrier',
    kind: 'ip',
    host: 'sip.carrier.example',
    allowedCidrs: ['198.51.100.0/24'],
  })
  await api(app, owner, 'POST', '/api/v1/outbound-routes', {
    name: 'All',
    prefix: '+',
    trunkIds: [trunk.data.id],
  })
}

async function metricValue(app: AppProcess, name: string) {
  const response = await fetch(`${app.url}/metrics`)
  const text = await response.text()
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
  return line ? Number(line.split(' ').at(-1)) : Number.NaN
}

/* What the edge posts when a call ends (voip-edge/src/events/cdr_spool.ts): signed, once. */
async function postCdr(
  app: AppProcess,
  edgeSecret: string,
  domain: string,
  fields: { from: string; to: string; billsec: number },
) {
  const token = randomUUID()
  const end = Date.now()
  const body = JSON.stringify({
    timestamp: Math.floor(end / 1000),
    call_id: `${token}@127.0.0.1:5060`,
    disposition: 'CONNECTED',
    duration: fields.billsec + 5,
    domain,
    ...fields,
    session: {
      id: 1,
      token,
      domain,
      callStartTime: end - (fields.billsec + 5) * 1000,
      callAnswerTime: end - fields.billsec * 1000,
      callEndTime: end,
      status: 'connected',
    },
  })
  const url = new URL('/api/webhooks/cloudonix/cdr', app.url)
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...signedHeaders(edgeSecret, randomUUID(), 'POST', url, body),
    },
    body,
  })
  if (response.status !== 200) throw new Error(`CDR: ${response.status} ${await response.text()}`)
}

type Alert = {
  suspendedMs: number | null
  logMs: number | null
  metricMs: number | null
  mailMs: number | null
  mail: SinkMail | null
}

/*
 * Polls every signal of the alert from the moment the threshold was crossed until all are
 * seen or the budget is spent; each one's delay is when it was first seen.
 */
async function watchAlert(
  app: AppProcess,
  owner: string,
  ownerEmail: string,
  organizationId: number,
  mails: SinkMail[],
  crossedAt: number,
  suspensionsBefore: number,
): Promise<Alert> {
  const alert: Alert = { suspendedMs: null, logMs: null, metricMs: null, mailMs: null, mail: null }
  const logLine = (line: string) =>
    line.includes('toll-fraud guard suspended outbound calling') &&
    line.includes(`"organizationId":${organizationId}`)
  while (Date.now() - crossedAt < ALERT_BUDGET_MS) {
    const elapsed = () => Date.now() - crossedAt
    if (alert.suspendedMs === null) {
      const state = await api(app, owner, 'GET', '/api/v1/settings/outbound-suspension')
      if (state.data.suspended === true) alert.suspendedMs = elapsed()
    }
    if (alert.logMs === null && app.output().split('\n').some(logLine)) alert.logMs = elapsed()
    if (
      alert.metricMs === null &&
      (await metricValue(app, 'opbx_toll_fraud_suspensions_total')) > suspensionsBefore &&
      (await metricValue(app, 'opbx_outbound_suspended_tenants')) >= 1
    )
      alert.metricMs = elapsed()
    alert.mail ??= mails.find((m) => m.to.includes(ownerEmail.toLowerCase())) ?? null
    if (alert.mail && alert.mailMs === null) alert.mailMs = alert.mail.at - crossedAt
    if (Object.values(alert).every((value) => value !== null)) break
    await sleep(250)
  }
  return alert
}

const seconds = (value: number | null) =>
  value === null ? 'not within 60 s' : `${(value / 1000).toFixed(1)} s`

/*
 * One tenant crosses one rule (`cross` drives it and returns when the crossing request was
 * sent and how many went out before); the row checks the refusal, the alert and the lift.
 */
async function spendOrVelocity(
  app: AppProcess,
  seeded: Seeded,
  index: number,
  edgeSecret: string,
  mails: SinkMail[],
  rule: Record<string, unknown>,
  cross: (tenant: Seeded['tenants'][number]) => Promise<{ crossedAt: number; summary: string }>,
) {
  const tenant = seeded.tenants[index]
  const owner = tenant.tokens[0]
  const ownerEmail = `load-${seeded.run}-${index}-0@reliability.test`
  await carrier(app, owner)
  await api(app, owner, 'PUT', '/api/v1/settings', { tollFraud: { enabled: true, ...rule } })
  const suspensionsBefore = await metricValue(app, 'opbx_toll_fraud_suspensions_total')
  if (!(await dial(app, edgeSecret, tenant.domain, NEW_YORK)))
    throw new Error('an ordinary outbound call is refused before the rule was crossed')

  const { crossedAt, summary } = await cross(tenant)
  const alert = await watchAlert(
    app,
    owner,
    ownerEmail,
    tenant.id,
    mails,
    crossedAt,
    suspensionsBefore,
  )
  // Routing for the tenant, to a number its rules allow and that does not count as international.
  const refused = !(await dial(app, edgeSecret, tenant.domain, NEW_YORK))
  const mailOk =
    alert.mail !== null &&
    alert.mail.subject.includes('Outbound calling suspended') &&
    alert.mail.text.includes('more than')
  await api(app, owner, 'DELETE', '/api/v1/settings/outbound-suspension')
  const restored =
    (await dial(app, edgeSecret, tenant.domain, NEW_YORK)) &&
    (await dial(app, edgeSecret, tenant.domain, FRANCE))
  const gaugeAfter = await metricValue(app, 'opbx_outbound_suspended_tenants')
  const pass =
    alert.suspendedMs !== null &&
    refused &&
    alert.logMs !== null &&
    alert.metricMs !== null &&
    mailOk &&
    alert.mailMs !== null &&
    alert.mailMs <= ALERT_BUDGET_MS &&
    restored
  return {
    pass,
    figures:
      `${summary}; suspended ${seconds(alert.suspendedMs)} after crossing; ` +
      `routing to an allowed number ${refused ? 'refused' : 'STILL DIALLED'}; ` +
      `warn log ${seconds(alert.logMs)}, metric ${seconds(alert.metricMs)}, ` +
      `owner email ${alert.mail ? seconds(alert.mailMs) : 'not received'}${alert.mail && !mailOk ? ' (unexpected content)' : ''}; ` +
      `after the owner lifted it: ${restored ? 'dialling again' : 'STILL REFUSED'} ` +
      `(suspended-tenants gauge ${gaugeAfter})`,
  }
}

export async function spendVelocity(
  app: AppProcess,
  seeded: Seeded,
  edgeSecret: string,
  mails: SinkMail[],
): Promise<Row[]> {
  const LIMIT = 5
  const velocity = await spendOrVelocity(
    app,
    seeded,
    1,
    edgeSecret,
    mails,
    { maxInternationalCallsPerHour: LIMIT, domesticPrefix: '+1' },
    async (tenant) => {
      let dialled = 0
      for (let i = 0; i < LIMIT * 4; i++) {
        const crossedAt = Date.now()
        if (!(await dial(app, edgeSecret, tenant.domain, FRANCE)))
          return {
            crossedAt,
            summary: `limit ${LIMIT}/h: ${dialled} international calls dialled, call ${dialled + 1} refused`,
          }
        dialled++
      }
      throw new Error(`${dialled} international calls dialled past a limit of ${LIMIT}`)
    },
  )
  const MINUTES = 10
  const spend = await spendOrVelocity(
    app,
    seeded,
    2,
    edgeSecret,
    mails,
    { maxBillableMinutesPerDay: MINUTES, domesticPrefix: '+1' },
    async (tenant) => {
      // 4 min 59 s each: two stay within 10 minutes, the third crosses.
      const cdr = () =>
        postCdr(app, edgeSecret, tenant.domain, { from: '100', to: FRANCE, billsec: 299 })
      await cdr()
      await cdr()
      const before = await dial(app, edgeSecret, tenant.domain, NEW_YORK)
      if (!before) throw new Error('suspended at 9 min 58 s, within the 10-minute limit')
      const crossedAt = Date.now()
      await cdr()
      return {
        crossedAt,
        summary: `limit ${MINUTES} min/24 h: 2 signed CDRs of 4 min 59 s still dialling, the 3rd crosses`,
      }
    },
  )
  return [
    {
      suite: 'Toll fraud: velocity rule (international calls/hour) suspends outbound + alert',
      criterion: `suspension within 60 s of crossing the threshold; log + metric + email; lift restores`,
      ...velocity,
    },
    {
      suite: 'Toll fraud: spend rule (billable outbound minutes/24 h) suspends outbound + alert',
      criterion: `suspension within 60 s of crossing the threshold; log + metric + email; lift restores`,
      ...spend,
    },
  ]
}

export const suite: Suite = {
  name: 'fraud',
  order: 30,
  describe:
    'toll-fraud guardrails: premium prefixes, whitelist, per-tenant caps, spend/velocity (R13)',
  async run(ctx) {
    const seeded = await ctx.seeded()
    const sink = await startSmtpSink()
    // warn: the guard's alert is a warn line, and the row checks that it was written.
    const mailEnv = { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(sink.port) }
    const app = await ctx.startApp({ ...UNLIMITED, ...mailEnv, LOG_LEVEL: 'warn' })
    const worker = await startWorker({ ...(await ctx.appEnv()), ...mailEnv })
    try {
      return [
        ...(await tollFraud(app, seeded, ctx.edgeSecret)),
        ...(await spendVelocity(app, seeded, ctx.edgeSecret, sink.messages)),
      ]
    } finally {
      await worker.stop()
      await app.stop()
      await sink.stop()
    }
  },
}
