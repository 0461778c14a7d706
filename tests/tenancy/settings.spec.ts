import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'

/*
 * Settings, webhook secrets and the profile have no foreign ids except secrets; the rest
 * are singletons resolved from the caller, so the checks are that they never show or
 * change another organization's values.
 */
test.group('Tenancy: settings endpoints', (group) => {
  isolate(group)

  test("another organization's webhook secret is not found and stays active", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const tokenB = await tokenFor(b.owner)
    const first = (
      await client.post('/api/v1/settings/webhook-secrets/rotate').bearerToken(tokenB)
    ).body().data
    await client.post('/api/v1/settings/webhook-secrets/rotate').bearerToken(tokenB)

    const tokenA = await tokenFor(a.owner)
    const revoke = await client
      .delete(`/api/v1/settings/webhook-secrets/${first.id}`)
      .bearerToken(tokenA)
    revoke.assertStatus(404)
    assert.equal(revoke.body().error.code, 'E_NOT_FOUND')
    const row = await db.from('webhook_secrets').where('id', first.id).firstOrFail()
    assert.isNull(row.revoked_at)

    const list = await client.get('/api/v1/settings/webhook-secrets').bearerToken(tokenA)
    assert.lengthOf(list.body().data, 0)
    // Rotating in A leaves B's secrets alone.
    await client.post('/api/v1/settings/webhook-secrets/rotate').bearerToken(tokenA)
    const bList = await client.get('/api/v1/settings/webhook-secrets').bearerToken(tokenB)
    assert.lengthOf(
      bList.body().data.filter((s: { active: boolean }) => s.active),
      2,
    )
  })

  test("settings are the caller's organization's only", async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    await client
      .put('/api/v1/settings')
      .bearerToken(await tokenFor(b.owner))
      .json({ cloudonix: { domainName: 'b-tenant.cloudonix.net', noAnswerTimeout: 15 } })
    const tokenA = await tokenFor(a.owner)
    const shown = await client.get('/api/v1/settings').bearerToken(tokenA)
    assert.isNull(shown.body().data.cloudonix.domainName)
    await client
      .put('/api/v1/settings')
      .bearerToken(tokenA)
      .json({ cloudonix: { noAnswerTimeout: 99 } })
    const bRow = await db
      .from('organization_settings')
      .where('organization_id', b.organization.id)
      .firstOrFail()
    assert.equal(bRow.no_answer_timeout, 15)
  })

  test("the profile is always the caller's own", async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    const token = await tokenFor(a.user)
    const shown = await client.get('/api/v1/profile').bearerToken(token)
    assert.equal(shown.body().data.id, a.user.id)
    const update = await client.put('/api/v1/profile').bearerToken(token).json({ name: 'Only Me' })
    update.assertStatus(200)
    await b.user.refresh()
    assert.notEqual(b.user.name, 'Only Me')
  })
})
