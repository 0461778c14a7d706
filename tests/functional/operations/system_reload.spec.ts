import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import StaffUser from '#models/staff_user'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { createStaff } from '#tests/helpers_staff'
import { FakeEdgeControl, closedPortUrl } from '#tests/functional/calls/fake_edge'
import env from '#start/env'

async function platformAdmin() {
  const staff = await createStaff()
  staff.role = 'platform_admin'
  await staff.save()
  return staff
}

test.group('System: voip-edge reload', (group) => {
  isolate(group)
  let edge: FakeEdgeControl
  group.each.setup(async () => {
    edge = await new FakeEdgeControl().start()
    edge.use()
    return () => edge.stop()
  })

  test('a platform admin reloads the edge with a signed request; audited', async ({
    client,
    assert,
  }) => {
    const staff = await platformAdmin()
    const response = await client
      .post('/api/v1/system/reload')
      .withGuard('staff')
      .loginAs(staff)
      .json({})
    response.assertStatus(200)
    assert.isTrue(response.body().data.reloaded)
    assert.isAtLeast(response.body().data.durationMs, 0)
    assert.deepEqual(
      edge.requests.map((r) => [r.method, r.path, r.signed]),
      [['POST', '/v1/reload', true]],
    )
    const audit = await AuditLog.query().where('action', 'system.reloaded').firstOrFail()
    assert.equal(audit.impersonatorStaffId, staff.id)
    assert.isNull(audit.organizationId)
  })

  test('support staff, tenant owners and anonymous callers cannot reload', async ({
    client,
    assert,
  }) => {
    const support = await createStaff()
    const asSupport = await client
      .post('/api/v1/system/reload')
      .withGuard('staff')
      .loginAs(support)
      .json({})
    asSupport.assertStatus(403)

    const { owner } = await createTenant()
    const asTenant = await client
      .post('/api/v1/system/reload')
      .bearerToken(await tokenFor(owner))
      .json({})
    asTenant.assertStatus(401)
    const asWebUser = await client
      .post('/api/v1/system/reload')
      .withGuard('web')
      .loginAs(owner)
      .json({})
    asWebUser.assertStatus(401)
    const anonymous = await client.post('/api/v1/system/reload').json({})
    anonymous.assertStatus(401)

    const inactive = await platformAdmin()
    await StaffUser.query().where('id', inactive.id).update({ status: 'inactive' })
    const asInactive = await client
      .post('/api/v1/system/reload')
      .withGuard('staff')
      .loginAs(inactive)
      .json({})
    asInactive.assertStatus(403)
    assert.lengthOf(edge.requests, 0)
  })

  test('a form post is refused (no cross-site request can reload)', async ({ client, assert }) => {
    const staff = await platformAdmin()
    const response = await client
      .post('/api/v1/system/reload')
      .withGuard('staff')
      .loginAs(staff)
      .form({ go: '1' })
    response.assertStatus(415)
    assert.lengthOf(edge.requests, 0)
  })

  test('edge down is a clear 503', async ({ client, assert }) => {
    const staff = await platformAdmin()
    env.set('VOIP_EDGE_CONTROL_URL', await closedPortUrl())
    const response = await client
      .post('/api/v1/system/reload')
      .withGuard('staff')
      .loginAs(staff)
      .json({})
    response.assertStatus(503)
    assert.equal(response.body().error.code, 'E_EDGE_UNAVAILABLE')
    assert.isNull(await AuditLog.query().where('action', 'system.reloaded').first())
  })

  test('every edge is reloaded; one that cannot be reached is named, the others still reload', async ({
    client,
    assert,
  }) => {
    const staff = await platformAdmin()
    const second = await new FakeEdgeControl().start()
    try {
      env.set('VOIP_EDGE_CONTROL_URL', `${edge.url},${second.url}`)
      const both = await client
        .post('/api/v1/system/reload')
        .withGuard('staff')
        .loginAs(staff)
        .json({})
      both.assertStatus(200)
      assert.sameMembers(
        both.body().data.edges.map((e: { url: string }) => e.url),
        [edge.url, second.url],
      )

      const down = await closedPortUrl()
      env.set('VOIP_EDGE_CONTROL_URL', `${edge.url},${down}`)
      const partial = await client
        .post('/api/v1/system/reload')
        .withGuard('staff')
        .loginAs(staff)
        .json({})
      partial.assertStatus(503)
      assert.include(partial.body().error.message, down)
      assert.deepEqual(
        partial.body().error.details.failed.map((e: { url: string }) => e.url),
        [down],
      )
      assert.equal(edge.requests.filter((r) => r.path === '/v1/reload').length, 2)
      const audits = await AuditLog.query().where('action', 'system.reloaded').orderBy('id')
      assert.lengthOf(audits, 2, 'the partial reload is audited too')
    } finally {
      await second.stop()
    }
  })
})
