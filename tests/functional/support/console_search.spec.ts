import { test } from '@japa/runner'
import { createTenant, isolate } from '#tests/helpers'
import { createStaff } from '#tests/helpers_staff'

test.group('Support console search', (group) => {
  isolate(group)

  test('finds organizations by name or SIP domain and lists one organization users', async ({
    client,
    assert,
  }) => {
    const staff = await createStaff()
    const a = await createTenant()
    const b = await createTenant()
    a.organization.name = 'Acme Plumbing Ltd'
    await a.organization.save()

    const byName = await client
      .get('/support')
      .qs({ search: 'plumbing' })
      .withGuard('staff')
      .loginAs(staff)
      .withInertia()
    const props = byName.inertiaProps as any
    assert.deepEqual(
      props.organizations.map((o: { id: number }) => o.id),
      [a.organization.id],
    )
    assert.equal(props.organizations[0].users, 4)

    const byDomain = await client
      .get('/support')
      .qs({ search: b.organization.sipDomain })
      .withGuard('staff')
      .loginAs(staff)
      .withInertia()
    assert.deepEqual(
      (byDomain.inertiaProps as any).organizations.map((o: { id: number }) => o.id),
      [b.organization.id],
    )

    const users = await client
      .get('/support')
      .qs({ organizationId: b.organization.id })
      .withGuard('staff')
      .loginAs(staff)
      .withInertia()
    const emails = (users.inertiaProps as any).users.map((u: { email: string }) => u.email)
    assert.sameMembers(emails, [b.owner.email, b.admin.email, b.user.email, b.reporter.email])

    const bad = await client
      .get('/support')
      .qs({ organizationId: 'x' })
      .withGuard('staff')
      .loginAs(staff)
      .redirects(0)
    assert.notEqual(bad.status(), 200)
  })

  test('tenant users cannot open the support console', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const response = await client.get('/support').withGuard('web').loginAs(owner).redirects(0)
    assert.equal(response.status(), 302)
    assert.equal(response.header('location'), '/support/login')
  })
})
