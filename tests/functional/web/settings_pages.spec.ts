import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import User from '#models/user'
import { createTenant, isolate } from '#tests/helpers'

test.group('Settings pages: PBX, webhook secrets, tokens, audit log', (group) => {
  isolate(group)

  test('the owner switches to edge mode; field errors come back per field', async ({
    client,
    assert,
  }) => {
    const { owner, admin, organization } = await createTenant()
    const view = await client.get('/settings/pbx').withGuard('web').loginAs(admin).withInertia()
    view.assertInertiaComponent('settings/pbx')
    view.assertInertiaPropsContains({ canUpdate: false, canManageSecrets: false })

    const bad = await client
      .put('/settings/pbx')
      .withCsrfToken()
      .json({ tenantMode: 'edge', cloudonix: { domainName: 'not a domain!' } })
      .withGuard('web')
      .loginAs(owner)
      .redirects(0)
    const errors = bad.flashMessages().inputErrorsBag as Record<string, string[]>
    assert.exists(errors['cloudonix.domainName'])

    const noSecret = await client
      .put('/settings/pbx')
      .withCsrfToken()
      .json({ tenantMode: 'edge' })
      .withGuard('web')
      .loginAs(owner)
      .redirects(0)
    assert.match(String(noSecret.flashMessages().error), /webhook secret/)
    await client
      .post('/settings/webhook-secrets/rotate')
      .withCsrfToken()
      .withGuard('web')
      .loginAs(owner)

    const saved = await client
      .put('/settings/pbx')
      .withCsrfToken()
      .json({ tenantMode: 'edge', recording: { enabled: true, format: 'mp3' } })
      .withGuard('web')
      .loginAs(owner)
      .redirects(0)
    assert.equal(saved.header('location'), '/settings/pbx')
    const page = await client.get('/settings/pbx').withGuard('web').loginAs(owner).withInertia()
    page.assertInertiaPropsContains({
      settings: { tenantMode: 'edge', recording: { enabled: true, format: 'mp3' } },
      canUpdate: true,
    })

    const refused = await client
      .put('/settings/pbx')
      .withCsrfToken()
      .json({ tenantMode: 'cloudonix' })
      .withGuard('web')
      .loginAs(admin)
      .redirects(0)
    assert.exists(refused.flashMessages().error)
    const row = await db
      .from('organization_settings')
      .where('organization_id', organization.id)
      .first()
    assert.equal(row.tenant_mode, 'edge')
  })

  test('rotating shows the new secret once; revoking deactivates it', async ({
    client,
    assert,
  }) => {
    const { owner, admin, organization } = await createTenant()
    const rotate = await client
      .post('/settings/webhook-secrets/rotate')
      .withCsrfToken()
      .form({ graceHours: 2 })
      .withGuard('web')
      .loginAs(owner)
      .redirects(0)
    const secret = String(rotate.flashMessages().newSecret)
    assert.match(secret, /^[\w-]{40,}$/)
    const stored = await db.from('webhook_secrets').where('organization_id', organization.id)
    assert.lengthOf(stored, 1)
    assert.notEqual(stored[0].secret, secret, 'stored encrypted, not in clear')

    const again = await client.get('/settings/pbx').withGuard('web').loginAs(owner).withInertia()
    const props = again.inertiaProps as any
    assert.isNull(props.newSecret)
    assert.lengthOf(props.secrets, 1)
    assert.isTrue(props.secrets[0].active)
    assert.notInclude(JSON.stringify(props), secret)

    const byAdmin = await client
      .post('/settings/webhook-secrets/rotate')
      .withCsrfToken()
      .withGuard('web')
      .loginAs(admin)
      .redirects(0)
    assert.exists(byAdmin.flashMessages().error)

    const last = await client
      .delete(`/settings/webhook-secrets/${props.secrets[0].id}`)
      .withCsrfToken()
      .withGuard('web')
      .loginAs(owner)
      .redirects(0)
    assert.match(String(last.flashMessages().error), /only active webhook secret/)

    await client
      .post('/settings/webhook-secrets/rotate')
      .withCsrfToken()
      .withGuard('web')
      .loginAs(owner)
    await client
      .delete(`/settings/webhook-secrets/${props.secrets[0].id}`)
      .withCsrfToken()
      .withGuard('web')
      .loginAs(owner)
    const after = await client.get('/settings/pbx').withGuard('web').loginAs(owner).withInertia()
    const states = (after.inertiaProps as any).secrets.map((s: any) => [s.id, s.active])
    assert.deepInclude(states, [props.secrets[0].id, false])
    assert.lengthOf(
      states.filter(([, active]: [number, boolean]) => active),
      1,
    )
  })

  test('a user creates, sees once and revokes an API token; others tokens are out of reach', async ({
    client,
    assert,
  }) => {
    const { user, admin } = await createTenant()
    const created = await client
      .post('/settings/tokens')
      .withCsrfToken()
      .json({ name: 'CRM', abilities: ['read'], expiresInDays: 30 })
      .withGuard('web')
      .loginAs(user)
      .redirects(0)
    const value = String(created.flashMessages().newToken)
    assert.match(value, /^opbx_/)
    const api = await client.get('/api/v1/auth/tokens').bearerToken(value)
    api.assertStatus(200)

    const page = await client.get('/settings/tokens').withGuard('web').loginAs(user).withInertia()
    const tokens = (page.inertiaProps as any).tokens
    assert.lengthOf(tokens, 1)
    assert.containsSubset(tokens[0], { name: 'CRM', abilities: ['read'] })
    assert.isNull((page.inertiaProps as any).newToken)

    const adminToken = await User.accessTokens.create(admin, ['*'], { name: 'admin' })
    const foreign = await client
      .delete(`/settings/tokens/${adminToken.identifier}`)
      .withCsrfToken()
      .withGuard('web')
      .loginAs(user)
      .redirects(0)
    assert.match(String(foreign.flashMessages().error), /not found/i)
    assert.lengthOf(await User.accessTokens.all(admin), 1)

    const bad = await client
      .post('/settings/tokens')
      .withCsrfToken()
      .json({ name: '', expiresInDays: 9999 })
      .withGuard('web')
      .loginAs(user)
      .redirects(0)
    const errors = bad.flashMessages().inputErrorsBag as Record<string, string[]>
    assert.exists(errors.name)
    assert.exists(errors.expiresInDays)

    await client
      .delete(`/settings/tokens/${tokens[0].id}`)
      .withCsrfToken()
      .withGuard('web')
      .loginAs(user)
    assert.lengthOf(await User.accessTokens.all(user), 0)
    const actions = (
      await AuditLog.query().where('actor_user_id', user.id).whereLike('action', 'api_token.%')
    ).map((a) => a.action)
    assert.sameMembers(actions, ['api_token.created', 'api_token.revoked'])
  })

  test('the audit log filters by action prefix, actor and date, for managers only', async ({
    client,
    assert,
  }) => {
    const { organization, owner, admin, user, reporter } = await createTenant()
    const other = await createTenant()
    const now = new Date()
    const row = (actorUserId: number, action: string, organizationId = organization.id) => ({
      organization_id: organizationId,
      actor_user_id: actorUserId,
      action,
      created_at: now,
    })
    await db
      .table('audit_logs')
      .multiInsert([
        row(owner.id, 'extension.created'),
        row(owner.id, 'extension.updated'),
        row(admin.id, 'extension.deleted'),
        row(admin.id, 'user.created'),
        row(other.owner.id, 'extension.created', other.organization.id),
      ])
    await db
      .table('audit_logs')
      .insert({ ...row(owner.id, 'extension.old'), created_at: new Date('2025-01-01T00:00:00Z') })

    const all = await client.get('/settings/audit').withGuard('web').loginAs(admin).withInertia()
    all.assertInertiaComponent('settings/audit')
    assert.equal((all.inertiaProps as any).entries.meta.total, 5)
    assert.notInclude(
      (all.inertiaProps as any).users.map((u: any) => u.id),
      other.owner.id,
    )

    const filtered = await client
      .get('/settings/audit')
      .qs({ action: 'extension.', actorUserId: owner.id, from: '2026-01-01' })
      .withGuard('web')
      .loginAs(owner)
      .withInertia()
    assert.sameMembers(
      (filtered.inertiaProps as any).entries.data.map((e: any) => e.action),
      ['extension.created', 'extension.updated'],
    )

    for (const viewer of [user, reporter]) {
      const refused = await client.get('/settings/audit').withGuard('web').loginAs(viewer)
      refused.assertStatus(403)
    }
    const invalid = await client
      .get('/settings/audit')
      .qs({ action: 'DROP TABLE' })
      .withGuard('web')
      .loginAs(admin)
      .redirects(0)
    assert.equal(invalid.header('location'), '/settings/audit')
  })
})
