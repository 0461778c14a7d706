import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import User from '#models/user'
import { createTenant, isolate } from '#tests/helpers'

test.group('Tenancy: settings pages', (group) => {
  isolate(group)

  test("another organization's secrets, tokens and audit rows are out of reach", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    for (const tenant of [a, b]) {
      for (let i = 0; i < 2; i++)
        await client
          .post('/settings/webhook-secrets/rotate')
          .withCsrfToken()
          .withGuard('web')
          .loginAs(tenant.owner)
    }
    const [foreignSecret] = await db
      .from('webhook_secrets')
      .where('organization_id', b.organization.id)
      .orderBy('id')
    const revoke = await client
      .delete(`/settings/webhook-secrets/${foreignSecret.id}`)
      .withCsrfToken()
      .withGuard('web')
      .loginAs(a.owner)
      .redirects(0)
    assert.match(String(revoke.flashMessages().error), /not found/i)
    const still = await db.from('webhook_secrets').where('id', foreignSecret.id).first()
    assert.isNull(still.revoked_at)

    const page = await client.get('/settings/pbx').withGuard('web').loginAs(a.owner).withInertia()
    const ids = (page.inertiaProps as any).secrets.map((s: { id: number }) => s.id)
    assert.notInclude(ids, foreignSecret.id)
    assert.lengthOf(ids, 2)

    const token = await User.accessTokens.create(b.user, ['*'], { name: 'b' })
    const del = await client
      .delete(`/settings/tokens/${token.identifier}`)
      .withCsrfToken()
      .withGuard('web')
      .loginAs(a.owner)
      .redirects(0)
    assert.match(String(del.flashMessages().error), /not found/i)
    assert.lengthOf(await User.accessTokens.all(b.user), 1)

    const audit = await client
      .get('/settings/audit')
      .withGuard('web')
      .loginAs(a.owner)
      .withInertia()
    const entries = (audit.inertiaProps as any).entries.data as { subjectId: string }[]
    assert.isAbove(entries.length, 0)
    const foreignIds = (
      await db.from('webhook_secrets').where('organization_id', b.organization.id)
    ).map((r) => String(r.id))
    assert.isTrue(entries.every((e) => !foreignIds.includes(e.subjectId)))
  })
})
