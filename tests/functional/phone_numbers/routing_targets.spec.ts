import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import {
  makeIvrMenu,
  makeRingGroup,
  makeRoom,
  makeSchedule,
  makeStaffedRingGroup,
} from '#tests/functional/phone_numbers/support'

let sequence = 0
const nextNumber = () => `+4940${String((sequence += 1)).padStart(7, '0')}`

test.group('Phone numbers: routing targets are validated per type', (group) => {
  isolate(group)

  test('each target type accepts a live, active target and shows its name', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const box = await makeExtension(organization, { voicemailEnabled: true, name: 'Boxed' })
    const targets = {
      extension: (await makeExtension(organization, { type: 'forward', name: 'Fwd' })).id,
      voicemail: box.id,
      ring_group: await makeStaffedRingGroup(organization),
      ivr_menu: await makeIvrMenu(organization, { name: 'Main menu' }),
      business_hours: await makeSchedule(organization, { name: 'Office hours' }),
      conference_room: await makeRoom(organization, { name: 'Board room' }),
    }
    for (const [type, id] of Object.entries(targets)) {
      const response = await client
        .post('/api/v1/phone-numbers')
        .bearerToken(token)
        .json({ number: nextNumber(), routing: { type, id } })
      response.assertStatus(201)
      assert.equal(response.body().data.routing.id, id, type)
      assert.isString(response.body().data.routing.name, type)
    }
    const listed = await client.get('/api/v1/phone-numbers').bearerToken(token)
    const names = listed.body().data.map((r: { routing: { name: string } }) => r.routing.name)
    assert.includeMembers(names, ['Main menu', 'Office hours', 'Board room'])
  })

  test('missing, foreign, deleted and inactive targets are 422 on routing.id', async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const token = await tokenFor(a.owner)
    const deletedExtension = await makeExtension(a.organization)
    await deletedExtension.merge({ deletedAt: deletedExtension.createdAt }).save()
    const refused: [string, number][] = [
      ['extension', 999_999],
      ['extension', (await makeExtension(b.organization)).id],
      ['extension', deletedExtension.id],
      ['extension', (await makeExtension(a.organization, { status: 'inactive' })).id],
      ['ring_group', await makeStaffedRingGroup(b.organization)],
      ['ivr_menu', await makeIvrMenu(a.organization, { status: 'inactive' })],
      ['ivr_menu', await makeIvrMenu(b.organization)],
      ['business_hours', await makeSchedule(a.organization, { status: 'inactive' })],
      ['business_hours', await makeSchedule(b.organization)],
      ['conference_room', await makeRoom(a.organization, { status: 'inactive' })],
      ['conference_room', await makeRoom(b.organization)],
    ]
    for (const [type, id] of refused) {
      const response = await client
        .post('/api/v1/phone-numbers')
        .bearerToken(token)
        .json({ number: nextNumber(), routing: { type, id } })
      response.assertStatus(422)
      assert.deepEqual(
        response.body().error.details.fields.map((f: { field: string }) => f.field),
        ['routing.id'],
        `${type} ${id}`,
      )
    }
    assert.equal(
      await db
        .from('phone_numbers')
        .count('* as n')
        .first()
        .then((r) => r.n),
      0,
    )
  })

  test('an extension target must be of a type that takes calls', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const room = await makeRoom(organization)
    const alias = await makeExtension(organization, {
      type: 'conference',
      configuration: { conference_room_id: room },
    })
    const response = await client
      .post('/api/v1/phone-numbers')
      .bearerToken(await tokenFor(owner))
      .json({ number: nextNumber(), routing: { type: 'extension', id: alias.id } })
    response.assertStatus(422)
    assert.match(response.body().error.message, /conference extension cannot take calls/)
  })

  test('voicemail needs a user extension with voicemail enabled', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const off = await makeExtension(organization, { voicemailEnabled: false })
    const forward = await makeExtension(organization, { type: 'forward' })
    for (const id of [off.id, forward.id]) {
      const response = await client
        .post('/api/v1/phone-numbers')
        .bearerToken(token)
        .json({ number: nextNumber(), routing: { type: 'voicemail', id } })
      response.assertStatus(422)
      assert.equal(
        response.body().error.message,
        'Voicemail needs a user extension with voicemail enabled',
      )
    }
  })

  test('a ring group needs at least one active member', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const inactive = await makeExtension(organization, { status: 'inactive' })
    const gone = await makeExtension(organization)
    await gone.merge({ deletedAt: gone.createdAt }).save()
    const empty = await makeRingGroup(organization)
    const idle = await makeRingGroup(organization, [inactive.id, gone.id])
    for (const id of [empty, idle]) {
      const response = await client
        .post('/api/v1/phone-numbers')
        .bearerToken(token)
        .json({ number: nextNumber(), routing: { type: 'ring_group', id } })
      response.assertStatus(422)
      assert.equal(response.body().error.message, 'The ring group has no active member')
    }
    const inactiveGroup = await makeRingGroup(
      organization,
      [(await makeExtension(organization)).id],
      { status: 'inactive' },
    )
    const response = await client
      .post('/api/v1/phone-numbers')
      .bearerToken(token)
      .json({ number: nextNumber(), routing: { type: 'ring_group', id: inactiveGroup } })
    response.assertStatus(422)
  })

  test('hangup takes no id, and routing is checked on update too', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const extension = await makeExtension(organization)
    const hangupWithId = await client
      .post('/api/v1/phone-numbers')
      .bearerToken(token)
      .json({ number: nextNumber(), routing: { type: 'hangup', id: extension.id } })
    hangupWithId.assertStatus(422)
    const created = await client
      .post('/api/v1/phone-numbers')
      .bearerToken(token)
      .json({ number: nextNumber(), routing: { type: 'hangup' } })
    const update = await client
      .patch(`/api/v1/phone-numbers/${created.body().data.id}`)
      .bearerToken(token)
      .json({ routing: { type: 'ring_group', id: await makeRingGroup(organization) } })
    update.assertStatus(422)
    const raw = await db.from('phone_numbers').where('id', created.body().data.id).firstOrFail()
    assert.equal(raw.routing_type, 'hangup')
  })
})
