import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import type Organization from '#models/organization'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { fieldsOf, makeMenu, ttsPrompt } from '#tests/functional/ivr_menus/helpers'

/* Written directly: the ring groups area owns the API, only the row matters here. */
async function ringGroup(organization: Organization, name: string, deletedAt: Date | null = null) {
  const [row] = await db
    .table('ring_groups')
    .insert({
      organization_id: organization.id,
      name,
      created_at: new Date(),
      updated_at: new Date(),
      deleted_at: deletedAt,
    })
    .returning('id')
  return row.id as number
}

test.group('IVR menus: ring group targets', (group) => {
  isolate(group)

  test('an option and the failover may send callers to a live ring group of the organization', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const other = await createTenant()
    const token = await tokenFor(owner)
    const sales = await ringGroup(organization, 'Sales team')
    const trashed = await ringGroup(organization, 'Old team', new Date())
    const foreign = await ringGroup(other.organization, 'Their team')
    const body = (id: number) => ({
      name: `Menu ${id}`,
      prompt: ttsPrompt,
      failover: { type: 'ring_group', id },
      options: [{ digit: '1', target: { type: 'ring_group', id } }],
    })

    const created = await client.post('/api/v1/ivr-menus').bearerToken(token).json(body(sales))
    created.assertStatus(201)
    assert.deepEqual(created.body().data.options[0].target, { type: 'ring_group', id: sales })
    for (const id of [trashed, foreign, 999999]) {
      const refused = await client.post('/api/v1/ivr-menus').bearerToken(token).json(body(id))
      refused.assertStatus(422)
      assert.sameMembers(fieldsOf(refused.body()), ['failover.id', 'options.0.target.id'])
    }
  })

  test('a ring group used by a menu cannot be deleted (409 listing the menu)', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const sales = await ringGroup(organization, 'Sales team')
    const menu = await makeMenu(organization, { name: 'Main' }, [
      { digit: '1', type: 'ring_group', id: sales },
    ])
    const response = await client
      .delete(`/api/v1/ring-groups/${sales}`)
      .bearerToken(await tokenFor(owner))
    response.assertStatus(409)
    assert.deepInclude(response.body().error.details.references, {
      type: 'ivr_menu',
      id: menu.id,
      name: 'Main',
    })
  })
})
