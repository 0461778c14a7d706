import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension, makeConferenceRoom } from '#tests/functional/extensions/support'
import { makeRecording } from '#tests/functional/recordings/helpers'
import { fieldsOf, makeMenu, ttsPrompt } from '#tests/functional/ivr_menus/helpers'

test.group('IVR menus API', (group) => {
  isolate(group)

  test('creates a menu with a recording prompt and ordered options, and audits it', async ({
    client,
    assert,
  }) => {
    const { admin, organization } = await createTenant()
    const recording = await makeRecording(organization)
    const sales = await makeExtension(organization)
    const support = await makeExtension(organization, { voicemailEnabled: true })
    const roomId = await makeConferenceRoom(organization, '810')
    const sub = await makeMenu(organization, { name: 'Sub' })
    const response = await client
      .post('/api/v1/ivr-menus')
      .bearerToken(await tokenFor(admin))
      .json({
        name: 'Main',
        description: 'Front door',
        prompt: { recordingId: recording.id },
        timeoutPrompt: { ttsText: 'Still there?', ttsVoice: 'Zoe', ttsLanguage: 'en-US' },
        firstDigitTimeout: 8,
        interDigitTimeout: 2,
        maxRetries: 4,
        failover: { type: 'voicemail', id: support.id },
        options: [
          { digit: '1', description: 'Sales', target: { type: 'extension', id: sales.id } },
          { digit: '#', target: { type: 'conference_room', id: roomId } },
          { digit: '0', target: { type: 'ivr_menu', id: sub.id } },
          { digit: '*', target: { type: 'hangup' } },
        ],
      })
    response.assertStatus(201)
    const menu = response.body().data
    assert.containsSubset(menu, {
      name: 'Main',
      organizationId: organization.id,
      prompt: { recordingId: recording.id, ttsText: null },
      invalidPrompt: null,
      timeoutPrompt: { recordingId: null, ttsText: 'Still there?', ttsLanguage: 'en-US' },
      firstDigitTimeout: 8,
      interDigitTimeout: 2,
      maxRetries: 4,
      failover: { type: 'voicemail', id: support.id },
      status: 'active',
      createdBy: admin.id,
    })
    assert.deepEqual(
      menu.options.map((o: { digit: string; position: number }) => [o.digit, o.position]),
      [
        ['1', 1],
        ['#', 2],
        ['0', 3],
        ['*', 4],
      ],
    )
    assert.deepEqual(menu.options[0].target, { type: 'extension', id: sales.id })
    assert.deepEqual(menu.options[3].target, { type: 'hangup', id: null })

    const audit = await AuditLog.query()
      .where('action', 'ivr_menu.created')
      .where('subject_id', String(menu.id))
      .firstOrFail()
    assert.equal(audit.actorUserId, admin.id)
    assert.lengthOf((audit.after as { options: unknown[] }).options, 4)
  })

  test('applies defaults to a TTS-only menu without options', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const response = await client
      .post('/api/v1/ivr-menus')
      .bearerToken(await tokenFor(owner))
      .json({ name: 'Simple', prompt: ttsPrompt })
    response.assertStatus(201)
    assert.containsSubset(response.body().data, {
      firstDigitTimeout: 5,
      interDigitTimeout: 3,
      maxRetries: 3,
      failover: { type: 'hangup', id: null },
      options: [],
    })
  })

  test('refuses invalid fields with field-level 422s', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const other = await createTenant()
    const token = await tokenFor(owner)
    const inactive = await makeRecording(organization, { status: 'inactive' })
    const active = await makeRecording(organization)
    const foreignExtension = await makeExtension(other.organization)
    const noVoicemail = await makeExtension(organization)
    await makeMenu(organization, { name: 'Taken' })
    const base = { name: 'New', prompt: ttsPrompt }
    const option = (target: Record<string, unknown>, digit = '1') => ({
      ...base,
      options: [{ digit, target }],
    })
    const cases: [Record<string, unknown>, string][] = [
      [{ prompt: ttsPrompt }, 'name'],
      [{ ...base, name: 'taken' }, 'name'],
      [{ name: 'New' }, 'prompt'],
      [{ name: 'New', prompt: {} }, 'prompt.recordingId'],
      [{ name: 'New', prompt: { recordingId: active.id, ttsText: 'Hi' } }, 'prompt.ttsText'],
      [{ name: 'New', prompt: { ttsText: 'x'.repeat(1001) } }, 'prompt.ttsText'],
      [{ name: 'New', prompt: { recordingId: inactive.id } }, 'prompt.recordingId'],
      [{ name: 'New', prompt: { recordingId: 999999 } }, 'prompt.recordingId'],
      [
        { ...base, invalidPrompt: { ttsText: 'a', ttsLanguage: 'English!' } },
        'invalidPrompt.ttsLanguage',
      ],
      [{ ...base, firstDigitTimeout: 0 }, 'firstDigitTimeout'],
      [{ ...base, firstDigitTimeout: 31 }, 'firstDigitTimeout'],
      [{ ...base, interDigitTimeout: 11 }, 'interDigitTimeout'],
      [{ ...base, maxRetries: 10 }, 'maxRetries'],
      [{ ...base, maxRetries: 0 }, 'maxRetries'],
      [{ ...base, status: 'closed' }, 'status'],
      [{ ...base, failover: { type: 'queue', id: 1 } }, 'failover.type'],
      [{ ...base, failover: { type: 'extension' } }, 'failover.id'],
      [{ ...base, failover: { type: 'extension', id: foreignExtension.id } }, 'failover.id'],
      [{ ...base, failover: { type: 'hangup', id: noVoicemail.id } }, 'failover.id'],
      [option({ type: 'voicemail', id: noVoicemail.id }), 'options.0.target.id'],
      [option({ type: 'ivr_menu', id: 999999 }), 'options.0.target.id'],
      [option({ type: 'conference_room', id: 999999 }), 'options.0.target.id'],
      [option({ type: 'hangup' }, '12'), 'options.0.digit'],
      [option({ type: 'hangup' }, 'A'), 'options.0.digit'],
      [
        {
          ...base,
          options: [
            { digit: '1', target: { type: 'hangup' } },
            { digit: '1', target: { type: 'hangup' } },
          ],
        },
        'options',
      ],
      [
        {
          ...base,
          options: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', '1'].map((d) => ({
            digit: d,
            target: { type: 'hangup' },
          })),
        },
        'options',
      ],
    ]
    for (const [body, field] of cases) {
      const response = await client.post('/api/v1/ivr-menus').bearerToken(token).json(body)
      assert.equal(response.status(), 422, `${JSON.stringify(body)} → ${response.text()}`)
      assert.include(
        fieldsOf(response.body()),
        field,
        `${JSON.stringify(body)} → ${response.text()}`,
      )
    }
    const count = await db
      .from('ivr_menus')
      .where('organization_id', organization.id)
      .count('* as n')
    assert.equal(Number(count[0].n), 1)
  })

  test('replaces the options on update in one go and audits before and after', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const ext = await makeExtension(organization)
    const menu = await makeMenu(organization, { name: 'Main' }, [
      { digit: '1', type: 'extension', id: ext.id },
      { digit: '2', type: 'hangup' },
    ])
    const response = await client
      .patch(`/api/v1/ivr-menus/${menu.id}`)
      .bearerToken(await tokenFor(owner))
      .json({
        maxRetries: 2,
        invalidPrompt: { ttsText: 'Sorry, that is not an option' },
        options: [
          { digit: '9', description: 'Operator', target: { type: 'extension', id: ext.id } },
        ],
      })
    response.assertStatus(200)
    const data = response.body().data
    assert.equal(data.maxRetries, 2)
    assert.equal(data.name, 'Main')
    assert.equal(data.prompt.ttsText, 'Press 1 for sales')
    assert.equal(data.invalidPrompt.ttsText, 'Sorry, that is not an option')
    assert.deepEqual(
      data.options.map((o: { digit: string }) => o.digit),
      ['9'],
    )
    const rows = await db.from('ivr_menu_options').where('ivr_menu_id', menu.id)
    assert.lengthOf(rows, 1)
    assert.equal(rows[0].organization_id, organization.id)

    const audit = await AuditLog.query()
      .where('action', 'ivr_menu.updated')
      .where('subject_id', String(menu.id))
      .firstOrFail()
    assert.lengthOf((audit.before as { options: unknown[] }).options, 2)
    assert.lengthOf((audit.after as { options: unknown[] }).options, 1)
  })

  test('an update without options keeps them; a refused update changes nothing', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const menu = await makeMenu(organization, { name: 'Keep' }, [{ digit: '1', type: 'hangup' }])
    const token = await tokenFor(owner)
    const kept = await client
      .patch(`/api/v1/ivr-menus/${menu.id}`)
      .bearerToken(token)
      .json({ description: 'Still one option' })
    kept.assertStatus(200)
    assert.lengthOf(kept.body().data.options, 1)

    const refused = await client
      .patch(`/api/v1/ivr-menus/${menu.id}`)
      .bearerToken(token)
      .json({ name: null, options: [{ digit: '5', target: { type: 'hangup' } }] })
    refused.assertStatus(422)
    assert.include(fieldsOf(refused.body()), 'name')
    const rows = await db.from('ivr_menu_options').where('ivr_menu_id', menu.id)
    assert.deepEqual(
      rows.map((r) => r.digit),
      ['1'],
    )
  })

  test('clearing an optional prompt with null removes it', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const menu = await makeMenu(organization, { timeoutPromptTtsText: 'Hello?' })
    const response = await client
      .patch(`/api/v1/ivr-menus/${menu.id}`)
      .bearerToken(await tokenFor(owner))
      .json({ timeoutPrompt: null })
    response.assertStatus(200)
    assert.isNull(response.body().data.timeoutPrompt)
  })
})
