import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import { createTenant, isolate } from '#tests/helpers'
import { createStaff, STAFF_PASSWORD } from '#tests/helpers_staff'
import type StaffUser from '#models/staff_user'
import type User from '#models/user'

const REASON = 'Ticket 4821: customer cannot see their users'

function impersonationSession(staff: StaffUser, user: User) {
  return {
    auth_staff: staff.id,
    impersonation: {
      staffId: staff.id,
      staffName: staff.name,
      reason: REASON,
      userId: user.id,
      startedAt: new Date().toISOString(),
    },
  }
}

test.group('Support impersonation', (group) => {
  isolate(group)

  test('staff sign in to the console; tenant users cannot reach it', async ({ client, assert }) => {
    const staff = await createStaff()
    const { owner } = await createTenant()
    const signIn = await client
      .post('/support/login')
      .withCsrfToken()
      .form({ email: staff.email, password: STAFF_PASSWORD })
      .redirects(0)
    assert.equal(signIn.header('location'), '/support')
    assert.equal(signIn.session('auth_staff'), staff.id)

    const asTenant = await client.get('/support').withGuard('web').loginAs(owner).redirects(0)
    assert.equal(asTenant.header('location'), '/support/login')

    const console = await client.get('/support').withGuard('staff').loginAs(staff).withInertia()
    console.assertInertiaComponent('support/console')
  })

  test('starting requires a reason and is audited with both ids', async ({ client, assert }) => {
    const staff = await createStaff()
    const { owner, organization } = await createTenant()

    const noReason = await client
      .post('/support/impersonations')
      .withGuard('staff')
      .loginAs(staff)
      .withCsrfToken()
      .header('referer', '/support')
      .form({ userId: owner.id, reason: 'short' })
      .redirects(0)
    assert.isUndefined(noReason.session('impersonation'))

    const started = await client
      .post('/support/impersonations')
      .withGuard('staff')
      .loginAs(staff)
      .withCsrfToken()
      .form({ userId: owner.id, reason: REASON })
      .redirects(0)
    started.assertStatus(302)
    assert.equal(started.header('location'), '/')
    assert.equal(started.session('auth_web'), owner.id)
    assert.equal(started.session('impersonation').staffId, staff.id)

    const audit = await AuditLog.query().where('action', 'impersonation.started').firstOrFail()
    assert.equal(audit.organizationId, organization.id)
    assert.equal(audit.actorUserId, owner.id)
    assert.equal(audit.impersonatorStaffId, staff.id)
    assert.equal(audit.metadata?.reason, REASON)
    assert.isString(audit.ip)
    assert.isString(audit.requestId)
  })

  test('the app shows the banner and hides ownership actions while impersonating', async ({
    client,
  }) => {
    const staff = await createStaff()
    const { owner } = await createTenant()
    const page = await client
      .get('/')
      .withGuard('web')
      .loginAs(owner)
      .withSession(impersonationSession(staff, owner))
      .withInertia()
    page.assertStatus(200)
    page.assertInertiaPropsContains({ impersonation: { staffName: staff.name, reason: REASON } })
    page.assertInertiaPropsContains({
      can: { 'organization.update': false, 'tokens.create': false },
    })

    const normal = await client.get('/').withGuard('web').loginAs(owner).withInertia()
    normal.assertInertiaPropsContains({ impersonation: null, can: { 'organization.update': true } })
  })

  test('ownership-level actions are denied, ordinary admin work is allowed and audited with both ids', async ({
    client,
    assert,
  }) => {
    const staff = await createStaff()
    const { owner, user, admin, organization } = await createTenant()
    const asImpersonated = (request: ReturnType<typeof client.put>) =>
      request
        .withGuard('web')
        .loginAs(owner)
        .withSession(impersonationSession(staff, owner))
        .withCsrfToken()
        .header('referer', '/users')
        .redirects(0)

    const settings = await asImpersonated(
      client.put('/settings/organization').form({ name: 'Stolen' }),
    )
    assert.include(settings.flashMessage('error'), 'impersonating')
    const promote = await asImpersonated(client.patch(`/users/${user.id}`).form({ role: 'owner' }))
    assert.include(promote.flashMessage('error'), 'ownership')
    const password = await asImpersonated(
      client.put('/password').form({
        currentPassword: 'x',
        password: 'Brand-new-77x',
        passwordConfirmation: 'Brand-new-77x',
      }),
    )
    assert.include(password.flashMessage('error'), 'impersonating')
    await organization.refresh()
    await user.refresh()
    assert.notEqual(organization.name, 'Stolen')
    assert.equal(user.role, 'pbx_user')

    const allowed = await asImpersonated(
      client.patch(`/users/${admin.id}`).form({ name: 'Renamed by support' }),
    )
    assert.equal(allowed.flashMessage('success'), `${admin.email} updated.`)
    const audit = await AuditLog.query()
      .where('action', 'user.updated')
      .where('subject_id', String(admin.id))
      .firstOrFail()
    assert.equal(audit.actorUserId, owner.id)
    assert.equal(audit.impersonatorStaffId, staff.id)
  })

  test('stopping is audited and returns to the console', async ({ client, assert }) => {
    const staff = await createStaff()
    const { owner } = await createTenant()
    const stopped = await client
      .delete('/support/impersonations')
      .withGuard('web')
      .loginAs(owner)
      .withSession(impersonationSession(staff, owner))
      .withCsrfToken()
      .redirects(0)
    assert.equal(stopped.header('location'), '/support')
    assert.isUndefined(stopped.session('impersonation'))
    assert.isUndefined(stopped.session('auth_web'))
    assert.equal(stopped.session('auth_staff'), staff.id)
    const audit = await AuditLog.query().where('action', 'impersonation.stopped').firstOrFail()
    assert.equal(audit.impersonatorStaffId, staff.id)
    assert.equal(audit.subjectId, String(owner.id))
  })

  test('a forged impersonation marker without the staff session is ignored', async ({ client }) => {
    const staff = await createStaff()
    const { owner } = await createTenant()
    const { impersonation } = impersonationSession(staff, owner)
    const page = await client
      .get('/')
      .withGuard('web')
      .loginAs(owner)
      .withSession({ impersonation })
      .withInertia()
    page.assertInertiaPropsContains({ impersonation: null })
  })
})
