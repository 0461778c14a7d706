import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, type Tenant } from '#tests/helpers'
import RotateWebhookSecret from '#services/settings/rotate_webhook_secret'
import RevokeWebhookSecret from '#services/settings/revoke_webhook_secret'
import { activeSecrets } from '#services/settings/webhook_secrets'

/*
 * Real concurrency needs real transactions on separate connections, so this group does
 * not use the per-test global transaction: it commits and removes its own tenant.
 */
test.group('Webhook secrets under concurrent writes', (group) => {
  let tenant: Tenant
  group.each.setup(async () => {
    tenant = await createTenant()
    return async () => {
      await db.from('users').where('organization_id', tenant.organization.id).delete()
      await db.from('organizations').where('id', tenant.organization.id).delete()
    }
  })

  const actor = () => ({
    organizationId: tenant.organization.id,
    actorUserId: tenant.owner.id,
    impersonatorStaffId: null,
    ip: null,
    userAgent: null,
    requestId: null,
  })

  test('parallel rotations still leave exactly two active secrets', async ({ assert }) => {
    const rotate = new RotateWebhookSecret()
    await Promise.all(
      Array.from({ length: 6 }, () => rotate.handle(tenant.organization.id, 24, actor())),
    )
    assert.lengthOf(await activeSecrets(tenant.organization.id), 2)
    const rows = await db.from('webhook_secrets').where('organization_id', tenant.organization.id)
    assert.lengthOf(rows, 6)
  })

  test('parallel revocations of both active secrets keep one of them', async ({ assert }) => {
    const rotate = new RotateWebhookSecret()
    const { secret: first } = await rotate.handle(tenant.organization.id, 24, actor())
    const { secret: second } = await rotate.handle(tenant.organization.id, 24, actor())
    const revoke = new RevokeWebhookSecret()
    const results = await Promise.allSettled([
      revoke.handle(tenant.organization.id, first.id, actor()),
      revoke.handle(tenant.organization.id, second.id, actor()),
    ])
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected'])
    assert.lengthOf(await activeSecrets(tenant.organization.id), 1)
  })
})
