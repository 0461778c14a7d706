import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { makeRingGroup } from '#tests/functional/ring_groups/support'

const referenceIds = (body: { error: { details: { references: { id: number }[] } } }) =>
  body.error.details.references.map((r) => r.id)

test.group('Ring groups: references', (group) => {
  isolate(group)

  test('an extension that is a member or a fallback target of a live group cannot be deleted', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const member = await makeExtension(organization)
    const operator = await makeExtension(organization)
    const mailbox = await makeExtension(organization, { voicemailEnabled: true })
    const free = await makeExtension(organization)
    const ringing = await makeRingGroup(organization, [member], { name: 'A ringing' })
    const toOperator = await makeRingGroup(organization, [free], {
      name: 'B operator',
      fallbackAction: 'extension',
      fallbackExtensionId: operator.id,
    })
    const toMailbox = await makeRingGroup(organization, [free], {
      name: 'C mailbox',
      fallbackAction: 'voicemail',
      fallbackExtensionId: mailbox.id,
    })
    const loner = await makeExtension(organization)
    const binned = await makeRingGroup(organization, [loner], { name: 'D binned' })
    await binned.merge({ deletedAt: binned.createdAt }).save()
    const token = await tokenFor(owner)

    for (const [extension, ringGroup] of [
      [member, ringing],
      [operator, toOperator],
      [mailbox, toMailbox],
    ] as const) {
      const response = await client.delete(`/api/v1/extensions/${extension.id}`).bearerToken(token)
      response.assertStatus(409)
      assert.equal(response.body().error.code, 'E_RESOURCE_IN_USE')
      assert.deepEqual(referenceIds(response.body()), [ringGroup.id])
    }
    /* A group in the bin does not hold its members: restoring it checks them again. */
    const lonerGone = await client.delete(`/api/v1/extensions/${loner.id}`).bearerToken(token)
    lonerGone.assertStatus(204)
  })

  test('a ring group another group falls back to, or an extension routes to, cannot be deleted', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const member = await makeExtension(organization)
    const overflow = await makeRingGroup(organization, [member])
    const main = await makeRingGroup(organization, [member], {
      fallbackAction: 'ring_group',
      fallbackRingGroupId: overflow.id,
    })
    const dialled = await makeRingGroup(organization, [member])
    const pilot = await makeExtension(organization, {
      type: 'ring_group',
      configuration: { ring_group_id: dialled.id },
    })
    const token = await tokenFor(owner)

    const fallback = await client.delete(`/api/v1/ring-groups/${overflow.id}`).bearerToken(token)
    fallback.assertStatus(409)
    assert.equal(fallback.body().error.code, 'E_RESOURCE_IN_USE')
    assert.deepEqual(referenceIds(fallback.body()), [main.id])

    const routed = await client.delete(`/api/v1/ring-groups/${dialled.id}`).bearerToken(token)
    routed.assertStatus(409)
    assert.deepEqual(referenceIds(routed.body()), [pilot.id])

    const rows = await db.from('ring_groups').whereIn('id', [overflow.id, dialled.id])
    for (const row of rows) assert.isNull(row.deleted_at)
    ;(await client.delete(`/api/v1/ring-groups/${main.id}`).bearerToken(token)).assertStatus(204)
    ;(await client.delete(`/api/v1/ring-groups/${overflow.id}`).bearerToken(token)).assertStatus(
      204,
    )
  })
})
