import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import type Organization from '#models/organization'
import queueService from '#services/queue/queue_service'
import TollFraudAlertJob from '#jobs/toll_fraud_alert_job'
import CdrReceivedJob from '#jobs/cdr_received_job'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { useSmtpSink } from '#tests/support/smtp_sink'
import { makeDid, makeExtension, only, verbs, voice } from '#tests/functional/voice/support'
import { CDR, cdr, post, webhookTenant } from '#tests/functional/webhooks/support'
import { HttpPlanStore } from '../../../voip-edge/src/trunks/plan_store.js'
import { decideOutbound } from '../../../voip-edge/src/trunks/outbound_plan.js'

const SECRET = () => env.get('VOIP_EDGE_SIGNING_SECRET')!.release()
const BASE = () => `http://127.0.0.1:${env.get('PORT')}`
const FRANCE = '+33142685300'
const NEW_YORK = '+12125550100'

/* One route over one trunk with a host, so the edge's plan can actually carry calls. */
async function outboundRoute(organization: Organization) {
  const now = new Date()
  const [trunk] = await db
    .table('trunks')
    .insert({
      organization_id: organization.id,
      name: 'Carrier',
      kind: 'ip',
      host: '192.0.2.10',
      codecs: '["PCMU"]',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
  const [route] = await db
    .table('outbound_routes')
    .insert({ organization_id: organization.id, name: 'All', created_at: now, updated_at: now })
    .returning('id')
  await db.table('outbound_route_trunks').insert({
    organization_id: organization.id,
    outbound_route_id: route.id,
    trunk_id: trunk.id,
    position: 1,
  })
}

/* What the app answers when extension `from` of the tenant dials `to`. */
function dial(organization: Organization, from: string, to: string) {
  return voice('/api/voice/route', {
    From: from,
    To: to,
    Direction: 'subscriber',
    Domain: organization.sipDomain,
  })
}

async function dialsNumber(organization: Organization, to: string) {
  const answer = await dial(organization, '500', to)
  const nouns = verbs(answer.root)[0] === 'Dial' ? only(answer.root, 'Dial').children : []
  return nouns.some((noun) => noun.name === 'Number' && noun.text === to)
}

async function servedPlan(organization: Organization) {
  // A fresh store each time: the edge caches plans for 30 s.
  return new HttpPlanStore({ baseUrl: BASE(), signingSecret: SECRET() }).plan(
    String(organization.id),
  )
}

async function metric(name: string) {
  const url = new URL('/metrics', BASE())
  const text = await (await fetch(url)).text()
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
  return line ? Number(line.split(' ').at(-1)) : 0
}

test.group('Toll-fraud velocity/spend guard', (group) => {
  isolate(group)
  const sink = useSmtpSink(group)
  group.setup(() => {
    queueService.process([TollFraudAlertJob, CdrReceivedJob], 1)
    return () => queueService.close()
  })
  group.each.setup(() => sink.clear())

  test('too many international calls in an hour suspend outbound calling only, for that tenant only, until lifted', async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    for (const tenant of [a, b]) {
      await outboundRoute(tenant.organization)
      await makeExtension(tenant.organization, { number: '500' })
      await makeExtension(tenant.organization, { number: '501' })
    }
    const ownerA = await tokenFor(a.owner)
    const configured = await client
      .put('/api/v1/settings')
      .bearerToken(ownerA)
      .json({ tollFraud: { maxInternationalCallsPerHour: 3, domesticPrefix: '+1' } })
    configured.assertStatus(200)
    assert.deepInclude(configured.body().data.tollFraud, {
      enabled: true,
      maxInternationalCallsPerHour: 3,
      domesticPrefix: '+1',
    })
    const suspensionsBefore = await metric('opbx_toll_fraud_suspensions_total')
    const suspendedBefore = await metric('opbx_outbound_suspended_tenants')

    // Three international calls and any number of domestic ones are within the rule.
    for (let i = 0; i < 3; i++)
      assert.isTrue(await dialsNumber(a.organization, FRANCE), `call ${i}`)
    for (let i = 0; i < 3; i++) assert.isTrue(await dialsNumber(a.organization, NEW_YORK))
    assert.isNull((await servedPlan(a.organization)).outboundSuspension ?? null)

    // The fourth international call crosses it: refused, and the tenant is suspended.
    const crossing = await dial(a.organization, '500', FRANCE)
    assert.deepEqual(verbs(crossing.root), ['Say', 'Hangup'])
    assert.match(only(crossing.root, 'Say').text, /not permitted/)
    assert.notInclude(crossing.xml, FRANCE)

    const state = await client.get('/api/v1/settings/outbound-suspension').bearerToken(ownerA)
    state.assertStatus(200)
    assert.isTrue(state.body().data.suspended)
    assert.match(state.body().data.reason, /more than 3 international\/premium calls/)
    const audit = await db
      .from('audit_logs')
      .where('organization_id', a.organization.id)
      .where('action', 'organization.outbound_suspended')
    assert.lengthOf(audit, 1)
    assert.isNull(audit[0].actor_user_id)

    // Every outbound call is refused now, domestic too; the edge's own decision agrees.
    assert.isFalse(await dialsNumber(a.organization, NEW_YORK))
    const plan = await servedPlan(a.organization)
    assert.isObject(plan.outboundSuspension)
    assert.match(plan.outboundSuspension!.reason, /international\/premium/)
    assert.deepEqual(decideOutbound(plan, NEW_YORK), {
      allowed: false,
      reason: 'suspended',
      matchedPrefix: null,
    })

    // Internal and inbound calls still work.
    const internal = await dial(a.organization, '500', '501')
    assert.equal(
      only(internal.root, 'Dial').children[0].text,
      `sip:501@${a.organization.sipDomain}`,
    )
    const ext = await db
      .from('extensions')
      .where('organization_id', a.organization.id)
      .where('number', '501')
      .first()
    const did = await makeDid(a.organization, 'extension', ext.id)
    const inbound = await voice('/api/voice/route', { From: '+15550001111', To: did })
    assert.deepEqual(verbs(inbound.root), ['Dial'])

    // The other tenant is untouched.
    for (let i = 0; i < 5; i++) assert.isTrue(await dialsNumber(b.organization, FRANCE))
    assert.isNull((await servedPlan(b.organization)).outboundSuspension ?? null)

    // Alert: metric moved, owner emailed.
    assert.equal((await metric('opbx_toll_fraud_suspensions_total')) - suspensionsBefore, 1)
    assert.equal((await metric('opbx_outbound_suspended_tenants')) - suspendedBefore, 1)
    const mail = await sink.waitForRecipient(a.owner.email, 60_000)
    assert.include(mail.subject, 'Outbound calling suspended')
    assert.include(mail.text, 'more than 3 international/premium calls')
    assert.notInclude(
      sink.messages.flatMap((m) => m.to),
      b.owner.email.toLowerCase(),
    )

    // PBX users and reporters cannot lift it; a PBX admin can (audited with the admin).
    for (const user of [a.user, a.reporter]) {
      const denied = await client
        .delete('/api/v1/settings/outbound-suspension')
        .bearerToken(await tokenFor(user))
      denied.assertStatus(403)
    }
    const lifted = await client
      .delete('/api/v1/settings/outbound-suspension')
      .bearerToken(await tokenFor(a.admin))
    lifted.assertStatus(200)
    assert.deepEqual(lifted.body().data, { suspended: false, since: null, reason: null })
    const liftAudit = await db
      .from('audit_logs')
      .where('organization_id', a.organization.id)
      .where('action', 'organization.outbound_suspension_lifted')
      .firstOrFail()
    assert.equal(liftAudit.actor_user_id, a.admin.id)
    assert.equal((await metric('opbx_outbound_suspended_tenants')) - suspendedBefore, 0)

    // Calling out works again, with a fresh window.
    for (let i = 0; i < 3; i++) assert.isTrue(await dialsNumber(a.organization, FRANCE))
    assert.isNull((await servedPlan(a.organization)).outboundSuspension ?? null)
  }).timeout(120_000)

  test('billable outbound minutes over 24 h suspend the tenant; inbound and internal minutes do not count', async ({
    assert,
  }) => {
    const t = await webhookTenant()
    await makeExtension(t.organization, { number: '500' })
    await makeExtension(t.organization, { number: '501' })
    await db
      .from('organization_settings')
      .where('organization_id', t.organization.id)
      .update({ fraud_max_billable_minutes_per_day: 10 })
    const send = async (token: string, fields: Record<string, unknown>) => {
      const response = await post(CDR, cdr(t.domain, token, fields), { bearer: t.secrets[0] })
      assert.equal(response.status, 200, response.text)
    }
    const suspended = async () =>
      (await db.from('organizations').where('id', t.organization.id).first())
        .outbound_suspended_at !== null

    await send('out-1', { from: '500', to: FRANCE, billsec: 300 })
    await send('out-1', { from: '500', to: FRANCE, billsec: 300 }) // redelivery: counted once
    await send('in-1', { from: '+15550001111', to: '+4940000001', billsec: 3000 })
    await send('int-1', { from: '500', to: '501', billsec: 3000 })
    await send('out-2', { from: '500', to: NEW_YORK, billsec: 0, disposition: 'NOANSWER' })
    assert.isFalse(await suspended(), '5 outbound minutes so far')
    await send('out-3', { from: '500', to: NEW_YORK, billsec: 299 })
    assert.isFalse(await suspended(), '9 min 59 s: at most the limit')
    await send('out-4', { from: '500', to: NEW_YORK, billsec: 2 })
    assert.isTrue(await suspended(), 'past 10 minutes')
    const row = await db.from('organizations').where('id', t.organization.id).first()
    assert.match(row.outbound_suspension_reason, /more than 10 billable outbound minutes/)
    await sink.waitForRecipient(t.owner.email, 60_000)
  }).timeout(120_000)

  test('the rule is validated field by field and starts from sane defaults', async ({
    client,
    assert,
  }) => {
    const { owner } = await createTenant()
    const token = await tokenFor(owner)
    const shown = await client.get('/api/v1/settings').bearerToken(token)
    assert.deepEqual(shown.body().data.tollFraud, {
      enabled: true,
      maxInternationalCallsPerHour: 30,
      maxBillableMinutesPerDay: 600,
      domesticPrefix: null,
    })
    const bad = await client
      .put('/api/v1/settings')
      .bearerToken(token)
      .json({
        tollFraud: {
          maxInternationalCallsPerHour: 0,
          maxBillableMinutesPerDay: 1.5,
          domesticPrefix: '44',
        },
      })
    bad.assertStatus(422)
    const fields = bad.body().error.details.fields.map((f: { field: string }) => f.field)
    assert.sameMembers(fields, [
      'tollFraud.maxInternationalCallsPerHour',
      'tollFraud.maxBillableMinutesPerDay',
      'tollFraud.domesticPrefix',
    ])
    const off = await client
      .put('/api/v1/settings')
      .bearerToken(token)
      .json({ tollFraud: { enabled: false } })
    assert.isFalse(off.body().data.tollFraud.enabled)
  })
})
