import { test } from '@japa/runner'
import User from '#models/user'
import TenantScopeMissingException from '#exceptions/tenant_scope_missing_exception'
import { createTenant, isolate } from '#tests/helpers'

test.group('Tenancy: tenant models fail closed', (group) => {
  isolate(group)

  test("an unscoped read throws instead of returning every tenant's rows", async ({ assert }) => {
    const { user } = await createTenant()
    await assert.rejects(
      () => User.query().where('id', user.id).first(),
      TenantScopeMissingException,
    )
    await assert.rejects(() => User.find(user.id), TenantScopeMissingException)
    await assert.rejects(() => User.all(), TenantScopeMissingException)
    await assert.rejects(() => User.findBy('email', user.email), TenantScopeMissingException)
    await assert.rejects(() => User.query().paginate(1, 10), TenantScopeMissingException)
  })

  test('reads rooted in an organization work and see only that organization', async ({
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const viaRelation = await a.organization.related('users').query()
    assert.sameMembers(
      viaRelation.map((u) => u.id),
      [a.owner.id, a.admin.id, a.user.id, a.reporter.id],
    )
    const viaScope = await User.query().withScopes((s) => s.forOrganization(b.organization))
    assert.sameMembers(
      viaScope.map((u) => u.id),
      [b.owner.id, b.admin.id, b.user.id, b.reporter.id],
    )
    const paginated = await User.query()
      .withScopes((s) => s.forOrganization(a.organization.id))
      .paginate(1, 2)
    assert.equal(paginated.total, 4)
  })

  test('a tenant row cannot be saved without an organization', async ({ assert }) => {
    const orphan = new User()
    orphan.merge({
      name: 'Orphan',
      email: 'orphan@example.test',
      password: 'Valid-pass-2026',
      role: 'pbx_user',
      status: 'active',
    })
    await assert.rejects(() => orphan.save(), TenantScopeMissingException)
  })
})
