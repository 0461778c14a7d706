import { test } from '@japa/runner'
import references from '#services/references/reference_registry'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeConferenceRoom, makeExtension } from '#tests/functional/extensions/support'
import { makeIvrMenu, makeRingGroup, makeSchedule } from '#tests/functional/business_hours/support'
import { assertMatchesSchema } from '#tests/support/openapi_shape'

test.group('Business hours routing targets', (group) => {
  isolate(group)

  test('an extension a schedule routes to (directly or as voicemail) cannot be deleted', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const desk = await makeExtension(organization)
    const box = await makeExtension(organization)
    const free = await makeExtension(organization)
    const office = await makeSchedule(organization, {
      name: 'Office',
      openTargetType: 'extension',
      openTargetId: desk.id,
      closedTargetType: 'voicemail',
      closedTargetId: box.id,
    })
    await makeSchedule(organization, {
      name: 'Gone',
      openTargetType: 'extension',
      openTargetId: desk.id,
      deletedAt: office.createdAt,
    })
    const token = await tokenFor(owner)

    for (const extension of [desk, box]) {
      const response = await client.delete(`/api/v1/extensions/${extension.id}`).bearerToken(token)
      response.assertStatus(409)
      assert.equal(response.body().error.code, 'E_RESOURCE_IN_USE')
      assert.deepEqual(response.body().error.details.references, [
        { type: 'business_hours_schedule', id: office.id, name: 'Office' },
      ])
    }
    ;(await client.delete(`/api/v1/extensions/${free.id}`).bearerToken(token)).assertStatus(204)
  })

  test('a conference room a schedule routes to cannot be deleted', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const roomId = await makeConferenceRoom(organization, '810')
    const token = await tokenFor(owner)
    const created = await client
      .post('/api/v1/business-hours')
      .bearerToken(token)
      .json({ name: 'Stand-up', openTarget: { type: 'conference_room', id: roomId } })
    created.assertStatus(201)
    const response = await client.delete(`/api/v1/conference-rooms/${roomId}`).bearerToken(token)
    response.assertStatus(409)
    assert.deepEqual(response.body().error.details.references, [
      { type: 'business_hours_schedule', id: created.body().data.id, name: 'Stand-up' },
    ])
  })

  test('routes to ring groups and IVR menus of the organization, and is listed as using them', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const other = await createTenant()
    const ringGroup = await makeRingGroup(organization)
    const menu = await makeIvrMenu(organization)
    const foreignMenu = await makeIvrMenu(other.organization)
    const token = await tokenFor(owner)

    const refused = await client
      .post('/api/v1/business-hours')
      .bearerToken(token)
      .json({
        name: 'Support',
        openTarget: { type: 'ring_group', id: menu + ringGroup + 1000 },
        closedTarget: { type: 'ivr_menu', id: foreignMenu },
      })
    refused.assertStatus(422)
    assert.sameMembers(
      refused.body().error.details.fields.map((f: { field: string }) => f.field),
      ['openTarget.id', 'closedTarget.id'],
    )

    const created = await client
      .post('/api/v1/business-hours')
      .bearerToken(token)
      .json({
        name: 'Support',
        openTarget: { type: 'ring_group', id: ringGroup },
        closedTarget: { type: 'ivr_menu', id: menu },
      })
    created.assertStatus(201)
    const schedule = {
      type: 'business_hours_schedule',
      id: created.body().data.id,
      name: 'Support',
    }
    assert.deepEqual(await references.find('ring_group', organization.id, ringGroup), [schedule])
    assert.deepEqual(await references.find('ivr_menu', organization.id, menu), [schedule])
    assert.deepEqual(await references.find('ivr_menu', other.organization.id, menu), [])
  })

  test('responses match the OpenAPI document', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const { schemas } = (await client.get('/api/v1/openapi.json')).body().components
    const desk = await makeExtension(organization)
    const created = await client
      .post('/api/v1/business-hours')
      .bearerToken(token)
      .json({
        name: 'Office',
        rules: [{ dayOfWeek: 1, start: '09:00', end: '17:00' }],
        exceptions: [
          {
            date: '2026-12-24',
            name: 'Eve',
            kind: 'special',
            ranges: [{ start: '09:00', end: '12:00' }],
          },
        ],
        openTarget: { type: 'extension', id: desk.id },
      })
    assertMatchesSchema(assert, schemas.BusinessHoursSchedule, created.body().data)
    const id = created.body().data.id
    const listed = await client.get('/api/v1/business-hours').bearerToken(token)
    for (const row of listed.body().data)
      assertMatchesSchema(assert, schemas.BusinessHoursSchedule, row)
    const status = await client.get(`/api/v1/business-hours/${id}/status`).bearerToken(token)
    assertMatchesSchema(assert, schemas.BusinessHoursStatus, status.body().data)
  })
})
