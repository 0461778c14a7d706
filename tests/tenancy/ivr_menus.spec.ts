import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { assertEachNotFound, assertListHoldsOnly } from '#tests/tenancy/support'
import { makeExtension } from '#tests/functional/extensions/support'
import { makeRecording } from '#tests/functional/recordings/helpers'
import { fieldsOf, makeMenu, ttsPrompt } from '#tests/functional/ivr_menus/helpers'

test.group('Tenancy: IVR menu endpoints', (group) => {
  isolate(group)

  test("every IVR menu endpoint answers 404 for another organization's menu", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const token = await tokenFor(a.owner)
    const live = await makeMenu(b.organization, { name: 'B secret menu' }, [
      { digit: '1', type: 'hangup' },
    ])
    const trashed = await makeMenu(b.organization, { deletedAt: live.createdAt })

    const requests = [
      client.get(`/api/v1/ivr-menus/${live.id}`),
      client.patch(`/api/v1/ivr-menus/${live.id}`).json({ name: 'Hijacked', options: [] }),
      client.delete(`/api/v1/ivr-menus/${live.id}`),
      client.post(`/api/v1/ivr-menus/${trashed.id}/restore`),
    ]
    await assertEachNotFound(assert, requests, token, ['B secret menu'])
    const row = await db.from('ivr_menus').where('id', live.id).firstOrFail()
    assert.equal(row.name, 'B secret menu')
    assert.isNull(row.deleted_at)
    assert.lengthOf(await db.from('ivr_menu_options').where('ivr_menu_id', live.id), 1)
    const gone = await db.from('ivr_menus').where('id', trashed.id).firstOrFail()
    assert.isNotNull(gone.deleted_at)
  })

  test("lists never include another organization's menus", async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    const mine = await makeMenu(a.organization)
    await makeMenu(b.organization, { name: 'Foreign menu' })
    await makeMenu(b.organization, { name: 'Foreign trashed', deletedAt: mine.createdAt })
    const token = await tokenFor(a.reporter)

    await assertListHoldsOnly(client, assert, '/api/v1/ivr-menus', token, [mine.id])
  })

  test("another organization's targets and recordings are refused like missing ones", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const token = await tokenFor(a.owner)
    const foreignMenu = await makeMenu(b.organization)
    const foreignExtension = await makeExtension(b.organization, { voicemailEnabled: true })
    const foreignRecording = await makeRecording(b.organization)
    const response = await client
      .post('/api/v1/ivr-menus')
      .bearerToken(token)
      .json({
        name: 'Main',
        prompt: { recordingId: foreignRecording.id },
        failover: { type: 'voicemail', id: foreignExtension.id },
        options: [
          { digit: '1', target: { type: 'ivr_menu', id: foreignMenu.id } },
          { digit: '2', target: { type: 'extension', id: foreignExtension.id } },
        ],
      })
    response.assertStatus(422)
    assert.sameMembers(fieldsOf(response.body()), [
      'prompt.recordingId',
      'failover.id',
      'options.0.target.id',
      'options.1.target.id',
    ])
    const mine = await client
      .post('/api/v1/ivr-menus')
      .bearerToken(token)
      .json({ name: 'Main', prompt: ttsPrompt })
    mine.assertStatus(201)
  })
})
