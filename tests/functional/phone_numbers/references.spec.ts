import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import {
  makeIvrMenu,
  makePhoneNumber,
  makeRoom,
  makeSchedule,
  makeStaffedRingGroup,
  makeTrunk,
} from '#tests/functional/phone_numbers/support'
import type Organization from '#models/organization'
import type { RoutingType } from '#enums/phone_numbers'

type Case = [string, RoutingType | 'trunk', (organization: Organization) => Promise<number>]

const cases: Case[] = [
  ['/extensions', 'extension', async (org) => (await makeExtension(org)).id],
  [
    '/extensions',
    'voicemail',
    async (org) => (await makeExtension(org, { voicemailEnabled: true })).id,
  ],
  ['/ring-groups', 'ring_group', makeStaffedRingGroup],
  ['/ivr-menus', 'ivr_menu', (org) => makeIvrMenu(org)],
  ['/business-hours', 'business_hours', (org) => makeSchedule(org)],
  ['/conference-rooms', 'conference_room', (org) => makeRoom(org)],
  ['/trunks', 'trunk', (org) => makeTrunk(org)],
]

test.group('Phone numbers: what they point at cannot be deleted', (group) => {
  isolate(group)

  test('deleting a routed-to target or the inbound trunk is 409 naming the numbers', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    for (const [path, kind, make] of cases) {
      const id = await make(organization)
      const row = await makePhoneNumber(
        organization,
        kind === 'trunk'
          ? { trunkId: id, friendlyName: 'Main line' }
          : { routingType: kind, routingTargetId: id, friendlyName: 'Main line' },
      )
      const response = await client.delete(`/api/v1${path}/${id}`).bearerToken(token)
      assert.equal(response.status(), 409, `${kind}: ${response.text()}`)
      assert.equal(response.body().error.code, 'E_RESOURCE_IN_USE')
      assert.deepInclude(response.body().error.details.references, {
        type: 'phone_number',
        id: row.id,
        name: `${row.number} Main line`,
      })
    }
  }).timeout(30_000)

  test('a deleted number no longer blocks deleting its target', async ({ client }) => {
    const { owner, organization } = await createTenant()
    const room = await makeRoom(organization)
    const row = await makePhoneNumber(organization, {
      routingType: 'conference_room',
      routingTargetId: room,
    })
    const token = await tokenFor(owner)
    ;(await client.delete(`/api/v1/phone-numbers/${row.id}`).bearerToken(token)).assertStatus(204)
    ;(await client.delete(`/api/v1/conference-rooms/${room}`).bearerToken(token)).assertStatus(204)
  })

  test("another organization's number never blocks a delete", async ({ client }) => {
    const a = await createTenant()
    const b = await createTenant()
    const extension = await makeExtension(a.organization)
    /* Ids collide across tenants; only the same organization's rows may count. */
    await makePhoneNumber(b.organization, {
      routingType: 'extension',
      routingTargetId: extension.id,
    })
    const response = await client
      .delete(`/api/v1/extensions/${extension.id}`)
      .bearerToken(await tokenFor(a.owner))
    response.assertStatus(204)
  })
})
