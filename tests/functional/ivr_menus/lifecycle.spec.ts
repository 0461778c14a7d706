import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeConferenceRoom, makeExtension } from '#tests/functional/extensions/support'
import { makeRecording } from '#tests/functional/recordings/helpers'
import { makeMenu } from '#tests/functional/ivr_menus/helpers'

test.group('IVR menus: delete, restore and references', (group) => {
  isolate(group)

  test('soft-deletes and restores a menu with its options, auditing both', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const menu = await makeMenu(organization, { name: 'Night' }, [{ digit: '1', type: 'hangup' }])

    ;(await client.delete(`/api/v1/ivr-menus/${menu.id}`).bearerToken(token)).assertStatus(204)
    const row = await db.from('ivr_menus').where('id', menu.id).firstOrFail()
    assert.isNotNull(row.deleted_at)
    ;(await client.get(`/api/v1/ivr-menus/${menu.id}`).bearerToken(token)).assertStatus(404)
    const trashed = await client.get('/api/v1/ivr-menus').qs({ trashed: 'only' }).bearerToken(token)
    assert.deepEqual(
      trashed.body().data.map((m: { id: number }) => m.id),
      [menu.id],
    )

    const restored = await client.post(`/api/v1/ivr-menus/${menu.id}/restore`).bearerToken(token)
    restored.assertStatus(200)
    assert.isNull(restored.body().data.deletedAt)
    assert.lengthOf(restored.body().data.options, 1)
    ;(await client.post(`/api/v1/ivr-menus/${menu.id}/restore`).bearerToken(token)).assertStatus(
      404,
    )
    const actions = await AuditLog.query()
      .where('subject_type', 'ivr_menu')
      .where('subject_id', String(menu.id))
      .orderBy('id')
    assert.deepEqual(
      actions.map((a) => a.action),
      ['ivr_menu.deleted', 'ivr_menu.restored'],
    )
  })

  test('restore answers 409 when a live menu took the name meanwhile', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const gone = await makeMenu(organization, {
      name: 'Support',
      deletedAt: organization.createdAt,
    })
    await makeMenu(organization, { name: 'SUPPORT' })
    const response = await client
      .post(`/api/v1/ivr-menus/${gone.id}/restore`)
      .bearerToken(await tokenFor(owner))
    response.assertStatus(409)
    const row = await db.from('ivr_menus').where('id', gone.id).firstOrFail()
    assert.isNotNull(row.deleted_at)
  })

  test('a menu reached from another menu cannot be deleted (409 listing it)', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const sales = await makeMenu(organization, { name: 'Sales' })
    await makeMenu(organization, { name: 'Main' }, [{ digit: '1', type: 'ivr_menu', id: sales.id }])
    await makeMenu(organization, { name: 'Night', failoverType: 'ivr_menu', failoverId: sales.id })
    /* A trashed menu routes nobody and does not block. */
    await makeMenu(organization, { name: 'Old', deletedAt: organization.createdAt }, [
      { digit: '2', type: 'ivr_menu', id: sales.id },
    ])

    const response = await client.delete(`/api/v1/ivr-menus/${sales.id}`).bearerToken(token)
    response.assertStatus(409)
    assert.equal(response.body().error.code, 'E_RESOURCE_IN_USE')
    assert.deepEqual(
      response
        .body()
        .error.details.references.map((r: { type: string; name: string }) => [r.type, r.name]),
      [
        ['ivr_menu', 'Main'],
        ['ivr_menu', 'Night'],
      ],
    )
    const row = await db.from('ivr_menus').where('id', sales.id).firstOrFail()
    assert.isNull(row.deleted_at)
  })

  test('a menu used by an IVR extension cannot be deleted', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const menu = await makeMenu(organization)
    await makeExtension(organization, { type: 'ivr', configuration: { ivr_menu_id: menu.id } })
    const response = await client
      .delete(`/api/v1/ivr-menus/${menu.id}`)
      .bearerToken(await tokenFor(owner))
    response.assertStatus(409)
    assert.equal(response.body().error.details.references[0].type, 'extension')
  })

  test('extensions, voicemail, rooms and recordings used by a menu answer 409 on delete', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const operator = await makeExtension(organization)
    const mailbox = await makeExtension(organization, { voicemailEnabled: true })
    const roomId = await makeConferenceRoom(organization, '811')
    const recording = await makeRecording(organization)
    await makeMenu(organization, { name: 'Main', invalidPromptRecordingId: recording.id }, [
      { digit: '0', type: 'extension', id: operator.id },
      { digit: '9', type: 'conference_room', id: roomId },
    ])
    await makeMenu(organization, {
      name: 'After hours',
      failoverType: 'voicemail',
      failoverId: mailbox.id,
    })

    const cases: [string, string][] = [
      [`/api/v1/extensions/${operator.id}`, 'Main'],
      [`/api/v1/extensions/${mailbox.id}`, 'After hours'],
      [`/api/v1/conference-rooms/${roomId}`, 'Main'],
      [`/api/v1/recordings/${recording.id}`, 'Main'],
    ]
    for (const [url, name] of cases) {
      const response = await client.delete(url).bearerToken(token)
      assert.equal(response.status(), 409, `${url}: ${response.text()}`)
      assert.deepInclude(response.body().error.details.references, {
        type: 'ivr_menu',
        id: (
          await db
            .from('ivr_menus')
            .where('name', name)
            .where('organization_id', organization.id)
            .firstOrFail()
        ).id,
        name,
      })
    }
  })
})
