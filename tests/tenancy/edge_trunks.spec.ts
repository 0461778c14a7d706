import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import { createTenant, isolate } from '#tests/helpers'
import {
  attachTrunks,
  OutboundRouteFactory,
  OutboundRuleFactory,
  TrunkFactory,
} from '#database/factories/trunk_factory'
import { signedHeaders } from '../../voip-edge/src/events/signer.js'

/*
 * The edge asks for one organization's outbound plan by id: it must hold that tenant's
 * routes, trunks (with their passwords) and rules only, never another tenant's.
 */
test.group('Tenancy: edge outbound plans', (group) => {
  isolate(group)

  test("an organization's plan holds none of another organization's rows", async ({ assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    for (const tenant of [a, b]) {
      const org = { organizationId: tenant.organization.id }
      const trunk = await TrunkFactory.merge(org).create()
      const route = await OutboundRouteFactory.merge({ ...org, prefix: '+' }).create()
      await attachTrunks(route, [trunk])
      await OutboundRuleFactory.merge({ ...org, kind: 'deny' }).create()
    }
    const url = new URL(
      `/api/edge/organizations/${a.organization.id}/outbound-plan`,
      `http://127.0.0.1:${env.get('PORT')}`,
    )
    const response = await fetch(url, {
      headers: signedHeaders(
        env.get('VOIP_EDGE_SIGNING_SECRET')!.release(),
        crypto.randomUUID(),
        'GET',
        url,
        '',
      ),
    })
    assert.equal(response.status, 200)
    const plan = (await response.json()) as {
      routes: Array<{ id: string }>
      trunks: Array<{ id: string }>
      rules: Array<{ prefix: string }>
    }
    const own = async (table: string, organizationId: number) =>
      (
        await db
          .from(table)
          .where('organization_id', organizationId)
          .select('id', table === 'outbound_rules' ? 'prefix' : 'id')
      ).map((row: { id: number; prefix?: string }) => row.prefix ?? String(row.id))
    assert.sameMembers(
      plan.routes.map((r) => r.id),
      await own('outbound_routes', a.organization.id),
    )
    assert.sameMembers(
      plan.trunks.map((t) => t.id),
      await own('trunks', a.organization.id),
    )
    assert.sameMembers(
      plan.rules.map((r) => r.prefix),
      await own('outbound_rules', a.organization.id),
    )
    const foreignTrunks = await own('trunks', b.organization.id)
    for (const trunk of plan.trunks) assert.notInclude(foreignTrunks, trunk.id)
  })
})
