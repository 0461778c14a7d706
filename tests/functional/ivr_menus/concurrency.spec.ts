import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, tokenFor, type Tenant } from '#tests/helpers'
import { makeMenu } from '#tests/functional/ivr_menus/helpers'
import { lockMenus } from '#services/ivr/menu_lock'

const toMenu = (id: number, digit = '1') => ({ digit, target: { type: 'ivr_menu', id } })

/*
 * Runs outside the per-test transaction on purpose: there every query shares one
 * connection, so nothing could overlap. Here the request and the test's own transaction
 * use separate connections and only the organization-wide menu lock orders them.
 */
test.group('IVR menus: concurrent edits and loops', (group) => {
  let tenant: Tenant | undefined

  group.each.teardown(async () => {
    if (!tenant) return
    const org = tenant.organization.id
    const users = [tenant.owner, tenant.admin, tenant.user, tenant.reporter].map((u) => u.id)
    await db.from('audit_logs').where('organization_id', org).delete()
    await db.from('ivr_menus').where('organization_id', org).delete()
    await db.from('users').whereIn('id', users).delete()
    await db.from('organizations').where('id', org).delete()
  })

  test('an edit waits for a concurrent one and then sees the loop it would close', async ({
    client,
    assert,
  }) => {
    tenant = await createTenant()
    const { owner, organization } = tenant
    const token = await tokenFor(owner)
    const a = await makeMenu(organization, { name: 'A' })
    const b = await makeMenu(organization, { name: 'B' })
    let settled = false

    /*
     * An edit of B is in flight (it holds B's row) and adds B → A before committing. The edit
     * of A touches only A's row, so only the organization-wide lock makes it wait.
     */
    const pending = await db.transaction(async (trx) => {
      await trx.from('ivr_menus').where('id', b.id).update({ updated_at: new Date() })
      const request = client
        .patch(`/api/v1/ivr-menus/${a.id}`)
        .bearerToken(token)
        .json({ options: [toMenu(b.id)] })
        .then((response) => {
          settled = true
          return response
        })
      await new Promise((resolve) => setTimeout(resolve, 400))
      assert.isFalse(settled, 'the edit of A must wait for the lock')
      await trx.table('ivr_menu_options').insert({
        organization_id: organization.id,
        ivr_menu_id: b.id,
        digit: '1',
        target_type: 'ivr_menu',
        target_id: a.id,
        position: 1,
        created_at: new Date(),
        updated_at: new Date(),
      })
      return { request }
    })
    const response = await pending.request
    response.assertStatus(422)
    assert.include(response.body().error.details.fields[0].message, 'A → B → A')
    assert.lengthOf(await db.from('ivr_menu_options').where('ivr_menu_id', a.id), 0)
  })

  test('a menu deleted while an edit waits for the lock is refused as its target', async ({
    client,
    assert,
  }) => {
    tenant = await createTenant()
    const { owner, organization } = tenant
    const token = await tokenFor(owner)
    const a = await makeMenu(organization, { name: 'A' })
    const sub = await makeMenu(organization, { name: 'Sub' })

    /* A delete of Sub is in flight: it passed its reference check and holds the lock. */
    const pending = await db.transaction(async (trx) => {
      await lockMenus(trx, organization.id)
      const request = client
        .patch(`/api/v1/ivr-menus/${a.id}`)
        .bearerToken(token)
        .json({ options: [toMenu(sub.id)] })
        .then((response) => response)
      await new Promise((resolve) => setTimeout(resolve, 400))
      await trx.from('ivr_menus').where('id', sub.id).update({ deleted_at: new Date() })
      return { request }
    })
    const response = await pending.request
    response.assertStatus(422)
    assert.equal(response.body().error.details.fields[0].field, 'options')
    assert.lengthOf(await db.from('ivr_menu_options').where('ivr_menu_id', a.id), 0)
  })
})
