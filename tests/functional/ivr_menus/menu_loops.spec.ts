import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { fieldsOf, makeMenu, ttsPrompt } from '#tests/functional/ivr_menus/helpers'

const toMenu = (id: number, digit = '1') => ({ digit, target: { type: 'ivr_menu', id } })

/* Menus may nest, but a caller must never be sent round in a circle. */
test.group('IVR menus: nesting without loops', (group) => {
  isolate(group)

  test('a menu may lead to other menus, including the same one twice', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const sales = await makeMenu(organization, { name: 'Sales' })
    const response = await client
      .post('/api/v1/ivr-menus')
      .bearerToken(await tokenFor(owner))
      .json({
        name: 'Main',
        prompt: ttsPrompt,
        options: [toMenu(sales.id, '1'), toMenu(sales.id, '2')],
        failover: { type: 'ivr_menu', id: sales.id },
      })
    response.assertStatus(201)
    assert.deepEqual(response.body().data.failover, { type: 'ivr_menu', id: sales.id })
    assert.lengthOf(response.body().data.options, 2)
  })

  test('refuses a menu that points at itself, by option or by failover', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const main = await makeMenu(organization, { name: 'Main' }, [{ digit: '1', type: 'hangup' }])

    const byOption = await client
      .patch(`/api/v1/ivr-menus/${main.id}`)
      .bearerToken(token)
      .json({ options: [toMenu(main.id)] })
    byOption.assertStatus(422)
    assert.deepEqual(fieldsOf(byOption.body()), ['options'])
    assert.include(byOption.body().error.details.fields[0].message, 'Main → Main')

    const byFailover = await client
      .patch(`/api/v1/ivr-menus/${main.id}`)
      .bearerToken(token)
      .json({ failover: { type: 'ivr_menu', id: main.id } })
    byFailover.assertStatus(422)
    assert.deepEqual(fieldsOf(byFailover.body()), ['failover'])

    const row = await db.from('ivr_menus').where('id', main.id).firstOrFail()
    assert.equal(row.failover_type, 'hangup')
    const options = await db.from('ivr_menu_options').where('ivr_menu_id', main.id)
    assert.deepEqual(
      options.map((o) => o.target_type),
      ['hangup'],
    )
  })

  test('refuses a longer loop over options and failovers, naming the path', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const main = await makeMenu(organization, { name: 'Main' })
    const sales = await makeMenu(organization, { name: 'Sales' }, [
      { digit: '1', type: 'hangup' },
      { digit: '2', type: 'ivr_menu', id: main.id },
    ])
    const billing = await makeMenu(organization, {
      name: 'Billing',
      failoverType: 'ivr_menu',
      failoverId: sales.id,
    })

    const response = await client
      .patch(`/api/v1/ivr-menus/${main.id}`)
      .bearerToken(await tokenFor(owner))
      .json({ options: [toMenu(billing.id, '3')] })
    response.assertStatus(422)
    const [error] = response.body().error.details.fields
    assert.equal(error.field, 'options')
    assert.equal(error.rule, 'acyclic')
    assert.include(error.message, 'Main → Billing → Sales → Main')
    assert.lengthOf(await db.from('ivr_menu_options').where('ivr_menu_id', main.id), 0)
  })

  test('a trashed menu no longer counts as part of a loop', async ({ client }) => {
    const { owner, organization } = await createTenant()
    const main = await makeMenu(organization, { name: 'Main' })
    const old = await makeMenu(organization, { name: 'Old' }, [
      { digit: '1', type: 'ivr_menu', id: main.id },
    ])
    await db.from('ivr_menus').where('id', old.id).update({ deleted_at: new Date() })
    const other = await makeMenu(organization, { name: 'Other' })
    const response = await client
      .patch(`/api/v1/ivr-menus/${main.id}`)
      .bearerToken(await tokenFor(owner))
      .json({ options: [toMenu(other.id)] })
    response.assertStatus(200)
  })
})
