import { test } from '@japa/runner'
import env from '#start/env'
import { createTenant, isolate } from '#tests/helpers'
import {
  attachTrunks,
  OutboundRouteFactory,
  OutboundRuleFactory,
  TrunkFactory,
} from '#database/factories/trunk_factory'
import type Organization from '#models/organization'
import OutboundResolver from '#services/trunks/outbound_resolver'
import { signedHeaders } from '../../../voip-edge/src/events/signer.js'
import { HttpPlanStore } from '../../../voip-edge/src/trunks/plan_store.js'
import { decideOutbound } from '../../../voip-edge/src/trunks/outbound_plan.js'

const SECRET = () => env.get('VOIP_EDGE_SIGNING_SECRET')!.release()
const BASE = () => `http://127.0.0.1:${env.get('PORT')}`

function edgeGet(path: string, secret = SECRET()) {
  const url = new URL(path, BASE())
  return fetch(url, { headers: signedHeaders(secret, crypto.randomUUID(), 'GET', url, '') })
}

/* UK via 0044 on carrier A then B (failover order), everything international via B. */
async function plan(organization: Organization) {
  const org = { organizationId: organization.id }
  const a = await TrunkFactory.merge({ ...org, name: 'Carrier A', maxChannels: 5 }).create()
  const b = await TrunkFactory.apply('ip')
    .merge({ ...org, name: 'Carrier B' })
    .create()
  const off = await TrunkFactory.merge({ ...org, name: 'Carrier Off', enabled: false }).create()
  const uk = await OutboundRouteFactory.merge({
    ...org,
    prefix: '+44',
    stripDigits: 1,
    prepend: '00',
    priority: 1,
  }).create()
  await attachTrunks(uk, [a, off, b])
  const world = await OutboundRouteFactory.merge({ ...org, prefix: '+', priority: 5 }).create()
  await attachTrunks(world, [b])
  await OutboundRuleFactory.merge({ ...org, kind: 'allow', prefix: '+44' }).create()
  await OutboundRuleFactory.merge({ ...org, kind: 'allow', prefix: '+1' }).create()
  return { a, b, off, uk, world }
}

test.group(
  'Edge trunk lookups (/api/edge/organizations/:id/outbound-plan, registration-trunks, trunks/by-source)',
  (group) => {
    isolate(group)

    test('the outbound plan holds enabled routes with ordered enabled trunks, credentials and rules', async ({
      assert,
    }) => {
      const { organization } = await createTenant()
      const { a, b, uk, world } = await plan(organization)
      const response = await edgeGet(`/api/edge/organizations/${organization.id}/outbound-plan`)
      assert.equal(response.status, 200)
      const body = (await response.json()) as {
        routes: Array<{ id: string; trunkIds: string[]; prepend: string | null }>
        rules: Array<{ kind: string; prefix: string }>
        trunks: Array<{ id: string; password: string | null; maxChannels: number | null }>
      }
      const ukRoute = body.routes.find((route) => route.id === String(uk.id))!
      assert.deepEqual(ukRoute.trunkIds, [String(a.id), String(b.id)], 'disabled trunk left out')
      assert.equal(ukRoute.prepend, '00')
      assert.deepEqual(body.routes.find((route) => route.id === String(world.id))!.trunkIds, [
        String(b.id),
      ])
      assert.sameDeepMembers(body.rules, [
        { kind: 'allow', prefix: '+44' },
        { kind: 'allow', prefix: '+1' },
      ])
      const carrierA = body.trunks.find((trunk) => trunk.id === String(a.id))!
      assert.equal(carrierA.password, a.password, 'decrypted for the edge')
      assert.equal(carrierA.maxChannels, 5)
    })

    test("the edge's own decision on the served plan agrees with the app's resolver", async ({
      assert,
    }) => {
      const { organization } = await createTenant()
      const { a, b } = await plan(organization)
      await OutboundRuleFactory.merge({
        organizationId: organization.id,
        kind: 'deny',
        prefix: '+4490',
      }).create()
      const store = new HttpPlanStore({ baseUrl: BASE(), signingSecret: SECRET() })
      const served = await store.plan(String(organization.id))
      const resolver = new OutboundResolver()
      for (const number of [
        '+442079460000',
        '+12125550100',
        '+19005550100',
        '+4490123456',
        '+33142685300',
      ]) {
        const app = await resolver.resolve(organization, number)
        const edge = decideOutbound(served, number)
        assert.equal(edge.allowed, app.allowed, number)
        if (edge.allowed) {
          assert.equal(edge.dialledNumber, app.dialledNumber, number)
          assert.deepEqual(
            edge.trunks.map((trunk) => trunk.id),
            app.trunks.map((trunk) => String(trunk.id)),
            number,
          )
        } else {
          assert.equal(edge.reason, app.reason, number)
        }
      }
      assert.deepEqual(
        (decideOutbound(served, '+442079460000') as { trunks: Array<{ id: string }> }).trunks.map(
          (t) => t.id,
        ),
        [String(a.id), String(b.id)],
      )
    })

    test("another tenant's, a suspended tenant's and an unknown organization's plan: 404", async ({
      assert,
    }) => {
      const suspended = await createTenant('suspended')
      await plan(suspended.organization)
      for (const id of [suspended.organization.id, 987654321, 'abc']) {
        const response = await edgeGet(`/api/edge/organizations/${id}/outbound-plan`)
        assert.equal(response.status, 404, String(id))
      }
    })

    test('registration trunks of active tenants only, each naming its tenant', async ({
      assert,
    }) => {
      const active = await createTenant()
      const suspended = await createTenant('suspended')
      const { a, b } = await plan(active.organization)
      const hidden = await plan(suspended.organization)
      const response = await edgeGet('/api/edge/registration-trunks')
      assert.equal(response.status, 200)
      const { trunks } = (await response.json()) as {
        trunks: Array<{ id: string; organizationId: string; kind: string; username: string }>
      }
      const ids = trunks.map((trunk) => trunk.id)
      assert.include(ids, String(a.id))
      assert.notInclude(ids, String(b.id), 'IP trunks do not register')
      assert.notInclude(ids, String(hidden.a.id), 'suspended tenant')
      const own = trunks.find((trunk) => trunk.id === String(a.id))!
      assert.equal(own.organizationId, String(active.organization.id))
      assert.equal(own.username, a.username)
    })

    test('an IP-authenticated trunk is found by a source address inside its CIDRs', async ({
      assert,
    }) => {
      const { organization } = await createTenant()
      const other = await createTenant()
      const ipTrunk = (organizationId: number, cidr: string) =>
        TrunkFactory.merge({
          organizationId,
          kind: 'ip',
          username: null,
          password: null,
          registerExpiry: null,
          allowedCidrs: [cidr],
        }).create()
      const trunk = await ipTrunk(organization.id, '198.51.100.0/24')
      const narrower = await ipTrunk(other.organization.id, '198.51.100.7/32')
      const hit = await edgeGet('/api/edge/trunks/by-source/198.51.100.20')
      assert.equal(hit.status, 200)
      assert.deepEqual(await hit.json(), {
        organizationId: String(organization.id),
        trunkId: String(trunk.id),
        realm: organization.sipDomain,
      })
      const specific = await edgeGet('/api/edge/trunks/by-source/198.51.100.7')
      assert.equal(((await specific.json()) as { trunkId: string }).trunkId, String(narrower.id))
      for (const ip of ['198.51.101.1', 'not-an-ip']) {
        assert.equal((await edgeGet(`/api/edge/trunks/by-source/${ip}`)).status, 404, ip)
      }
    })

    test('unsigned and wrongly signed requests get 401', async ({ assert }) => {
      const { organization } = await createTenant()
      for (const path of [
        `/api/edge/organizations/${organization.id}/outbound-plan`,
        '/api/edge/registration-trunks',
        '/api/edge/trunks/by-source/127.0.0.1',
      ]) {
        assert.equal((await fetch(new URL(path, BASE()))).status, 401, path)
        assert.equal(
          (await edgeGet(path, 'not-the-edge-secret-0123456789abcdef')).status,
          401,
          path,
        )
      }
    })
  },
)
