import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { fieldsOf, makeIvrMenu, makeRingGroup } from '#tests/functional/ring_groups/support'

test.group('Ring groups: fallback targets', (group) => {
  isolate(group)

  test('stores each fallback kind with its target and clears the previous kind', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const member = await makeExtension(organization)
    const operator = await makeExtension(organization)
    const mailbox = await makeExtension(organization, { voicemailEnabled: true })
    const overflow = await makeRingGroup(organization, [member])
    const ivrMenuId = await makeIvrMenu(organization)
    const ringGroup = await makeRingGroup(organization, [member])
    const token = await tokenFor(owner)
    const cases = [
      ['extension', operator.id, 'fallback_extension_id'],
      ['voicemail', mailbox.id, 'fallback_extension_id'],
      ['ring_group', overflow.id, 'fallback_ring_group_id'],
      ['ivr_menu', ivrMenuId, 'fallback_ivr_menu_id'],
    ] as const
    for (const [fallbackAction, fallbackTargetId, column] of cases) {
      const response = await client
        .patch(`/api/v1/ring-groups/${ringGroup.id}`)
        .bearerToken(token)
        .json({ fallbackAction, fallbackTargetId })
      response.assertStatus(200)
      assert.deepInclude(response.body().data, { fallbackAction, fallbackTargetId })
      const row = await db.from('ring_groups').where('id', ringGroup.id).firstOrFail()
      const targets = ['fallback_extension_id', 'fallback_ring_group_id', 'fallback_ivr_menu_id']
      for (const other of targets)
        assert.equal(row[other], other === column ? fallbackTargetId : null)
    }
    const hangup = await client
      .patch(`/api/v1/ring-groups/${ringGroup.id}`)
      .bearerToken(token)
      .json({ fallbackAction: 'hangup' })
    assert.deepInclude(hangup.body().data, { fallbackAction: 'hangup', fallbackTargetId: null })
  })

  test('validates the target per kind', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const other = await createTenant()
    const member = await makeExtension(organization)
    const noMailbox = await makeExtension(organization)
    const inactive = await makeExtension(organization, { status: 'inactive' })
    const foreignGroup = await makeRingGroup(other.organization, [])
    const foreignIvr = await makeIvrMenu(other.organization)
    const token = await tokenFor(owner)
    const attempt = (fallbackAction: string, fallbackTargetId?: number | null) =>
      client
        .post('/api/v1/ring-groups')
        .bearerToken(token)
        .json({
          name: `Fallback ${fallbackAction}`,
          fallbackAction,
          fallbackTargetId,
          members: [{ extensionId: member.id, priority: 1 }],
        })
    const refused = [
      await attempt('extension'),
      await attempt('extension', null),
      await attempt('extension', inactive.id),
      await attempt('voicemail', noMailbox.id),
      await attempt('ring_group', foreignGroup.id),
      await attempt('ivr_menu', foreignIvr),
      await attempt('hangup', member.id),
    ]
    for (const response of refused) {
      assert.equal(response.status(), 422, response.text())
      assert.deepEqual(fieldsOf(response.body()), ['fallbackTargetId'])
    }
    assert.equal(Number((await db.from('ring_groups').count('* as n').first()).n), 1)
  })

  test('a group cannot fall back to itself', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const ringGroup = await makeRingGroup(organization, [await makeExtension(organization)])
    const response = await client
      .patch(`/api/v1/ring-groups/${ringGroup.id}`)
      .bearerToken(await tokenFor(owner))
      .json({ fallbackAction: 'ring_group', fallbackTargetId: ringGroup.id })
    response.assertStatus(422)
    assert.deepEqual(fieldsOf(response.body()), ['fallbackTargetId'])
  })

  test('refuses a fallback chain that loops back to the group', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const member = await makeExtension(organization)
    const first = await makeRingGroup(organization, [member])
    const second = await makeRingGroup(organization, [member], {
      fallbackAction: 'ring_group',
      fallbackRingGroupId: first.id,
    })
    const third = await makeRingGroup(organization, [member], {
      fallbackAction: 'ring_group',
      fallbackRingGroupId: second.id,
    })
    const response = await client
      .patch(`/api/v1/ring-groups/${first.id}`)
      .bearerToken(await tokenFor(owner))
      .json({ fallbackAction: 'ring_group', fallbackTargetId: third.id })
    response.assertStatus(422)
    assert.deepEqual(fieldsOf(response.body()), ['fallbackTargetId'])
    assert.equal(response.body().error.details.fields[0].rule, 'fallbackCycle')
    const row = await db.from('ring_groups').where('id', first.id).firstOrFail()
    assert.equal(row.fallback_action, 'hangup')
  })
})
