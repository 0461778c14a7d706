import { test } from '@japa/runner'
import { makeIvrMenu, makeRingGroup } from '#tests/functional/ring_groups/support'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import Extension from '#models/extension'
import { openSecret } from '#services/secrets/secret_box'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeConferenceRoom, makeExtension } from '#tests/functional/extensions/support'

test.group('Extensions API', (group) => {
  isolate(group)

  test('creates a user extension with a generated SIP password shown only once', async ({
    client,
    assert,
  }) => {
    const { admin, user, organization } = await createTenant()
    const token = await tokenFor(admin)
    const created = await client
      .post('/api/v1/extensions')
      .bearerToken(token)
      .json({ number: '201', name: 'Reception', type: 'user', userId: user.id })
    created.assertStatus(201)
    const body = created.body().data
    assert.equal(body.sipUsername, '201')
    assert.equal(body.sipUri, '201')
    assert.isTrue(body.hasSipUri)
    assert.equal(body.user.id, user.id)
    assert.isString(body.sipPassword)
    assert.isAtLeast(body.sipPassword.length, 24)

    const raw = await db.from('extensions').where('id', body.id).firstOrFail()
    assert.notInclude(raw.sip_password, body.sipPassword)
    assert.equal(openSecret(raw.sip_password), body.sipPassword)
    assert.equal(raw.organization_id, organization.id)

    const shown = await client.get(`/api/v1/extensions/${body.id}`).bearerToken(token)
    const listed = await client.get('/api/v1/extensions').bearerToken(token)
    for (const response of [shown, listed]) {
      response.assertStatus(200)
      assert.notInclude(response.text(), body.sipPassword)
      assert.notInclude(response.text(), 'sipPassword')
    }
    const audit = await AuditLog.query()
      .where('action', 'extension.created')
      .where('subject_id', String(body.id))
      .firstOrFail()
    assert.equal(audit.actorUserId, admin.id)
    assert.notInclude(JSON.stringify(audit.after), body.sipPassword)
  })

  test('creates every other type with its configuration checked', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const roomId = await makeConferenceRoom(organization)
    await makeExtension(organization, { number: '300' })
    const ringGroup = await makeRingGroup(organization)
    const menuId = await makeIvrMenu(organization)
    const bodies = [
      { number: '401', type: 'conference', configuration: { conference_room_id: roomId } },
      { number: '402', type: 'ring_group', configuration: { ring_group_id: ringGroup.id } },
      { number: '403', type: 'ivr', configuration: { ivr_menu_id: menuId } },
      {
        number: '404',
        type: 'ai_assistant',
        configuration: { provider: 'vapi', phone_number: '+14155550100' },
      },
      { number: '405', type: 'forward', configuration: { forward_to: '+442071234567' } },
      { number: '406', type: 'forward', configuration: { forward_to: 'sip:bob@example.com' } },
      {
        number: '407',
        type: 'forward',
        configuration: { forward_to: '300', sip_uri: 'sip:desk@pbx.example.com' },
      },
    ]
    for (const body of bodies) {
      const response = await client
        .post('/api/v1/extensions')
        .bearerToken(token)
        .json({ name: `Ext ${body.number}`, ...body })
      response.assertStatus(201)
      const data = response.body().data
      assert.deepInclude(data.configuration, body.configuration)
      assert.isNull(data.sipUsername)
      assert.isNull(data.sipPassword)
    }
    const forward = await Extension.query()
      .withScopes((s) => s.forOrganization(organization))
      .where('number', '407')
      .firstOrFail()
    assert.equal(forward.sipUri, 'sip:desk@pbx.example.com')
    assert.isTrue(forward.hasSipUri)
    const ivr = await Extension.query()
      .withScopes((s) => s.forOrganization(organization))
      .where('number', '403')
      .firstOrFail()
    assert.isNull(ivr.sipUri)
    assert.isFalse(ivr.hasSipUri)
  })

  test('answers 422 with field errors for invalid extensions', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const other = await createTenant()
    const foreignRoom = await makeConferenceRoom(other.organization)
    await makeExtension(organization, { number: '500', sipUsername: 'taken' })
    const token = await tokenFor(owner)
    const cases: [Record<string, unknown>, string][] = [
      [{ number: '1', name: 'A', type: 'user' }, 'number'],
      [{ number: '12a', name: 'A', type: 'user' }, 'number'],
      [{ number: '1234567', name: 'A', type: 'user' }, 'number'],
      [{ number: '500', name: 'A', type: 'user' }, 'number'],
      [{ number: '501', type: 'user' }, 'name'],
      [{ number: '501', name: 'A', type: 'queue' }, 'type'],
      [{ number: '501', name: 'A', type: 'user', sipUsername: 'taken' }, 'sipUsername'],
      [{ number: '501', name: 'A', type: 'user', userId: other.user.id }, 'userId'],
      [{ number: '501', name: 'A', type: 'user', sipPassword: 'short' }, 'sipPassword'],
      [{ number: '501', name: 'A', type: 'conference' }, 'configuration'],
      [
        {
          number: '501',
          name: 'A',
          type: 'ivr',
          voicemailEnabled: true,
          configuration: { ivr_menu_id: 3 },
        },
        'voicemailEnabled',
      ],
      [
        {
          number: '501',
          name: 'A',
          type: 'conference',
          configuration: { conference_room_id: foreignRoom },
        },
        'configuration.conference_room_id',
      ],
      [
        { number: '501', name: 'A', type: 'ring_group', configuration: { ring_group_id: -1 } },
        'configuration.ring_group_id',
      ],
      [
        { number: '501', name: 'A', type: 'ivr', configuration: { ivr_menu_id: 'x' } },
        'configuration.ivr_menu_id',
      ],
      [
        {
          number: '501',
          name: 'A',
          type: 'ai_assistant',
          configuration: { provider: 'vapi', phone_number: '0123' },
        },
        'configuration.phone_number',
      ],
      [
        { number: '501', name: 'A', type: 'ring_group', configuration: { ring_group_id: 999999 } },
        'configuration.ring_group_id',
      ],
      [
        { number: '501', name: 'A', type: 'ivr', configuration: { ivr_menu_id: 999999 } },
        'configuration.ivr_menu_id',
      ],
      [
        { number: '501', name: 'A', type: 'forward', configuration: { forward_to: '999' } },
        'configuration.forward_to',
      ],
      [
        { number: '501', name: 'A', type: 'forward', configuration: { forward_to: 'hello' } },
        'configuration.forward_to',
      ],
      [
        {
          number: '501',
          name: 'A',
          type: 'forward',
          userId: owner.id,
          configuration: { forward_to: '500' },
        },
        'userId',
      ],
    ]
    for (const [body, field] of cases) {
      const response = await client.post('/api/v1/extensions').bearerToken(token).json(body)
      response.assertStatus(422)
      const fields = response.body().error.details.fields.map((f: { field: string }) => f.field)
      assert.include(fields, field, JSON.stringify(body))
    }
  })

  test('the default SIP username may not collide with another extension', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    await makeExtension(organization, { number: '600', sipUsername: '601' })
    const response = await client
      .post('/api/v1/extensions')
      .bearerToken(await tokenFor(owner))
      .json({ number: '601', name: 'Clash', type: 'user' })
    response.assertStatus(422)
    assert.equal(response.body().error.details.fields[0].field, 'sipUsername')
  })

  test('updates an extension; the number cannot change; type changes move SIP credentials', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const token = await tokenFor(owner)
    const extension = await makeExtension(organization, { number: '700' })

    const renumber = await client
      .patch(`/api/v1/extensions/${extension.id}`)
      .bearerToken(token)
      .json({ number: '701' })
    renumber.assertStatus(422)
    assert.equal(renumber.body().error.details.fields[0].field, 'number')

    const renamed = await client
      .patch(`/api/v1/extensions/${extension.id}`)
      .bearerToken(token)
      .json({ name: 'Front desk', status: 'inactive' })
    renamed.assertStatus(200)
    assert.include(renamed.body().data, { name: 'Front desk', status: 'inactive', number: '700' })
    assert.notProperty(renamed.body().data, 'sipPassword')

    const voicemailOnForward = await client
      .patch(`/api/v1/extensions/${extension.id}`)
      .bearerToken(token)
      .json({ type: 'forward', voicemailEnabled: true, configuration: { forward_to: '+15550100' } })
    voicemailOnForward.assertStatus(422)
    assert.equal(voicemailOnForward.body().error.details.fields[0].field, 'voicemailEnabled')
    ;(
      await client
        .patch(`/api/v1/extensions/${extension.id}`)
        .bearerToken(token)
        .json({ voicemailEnabled: true })
    ).assertStatus(200)

    const noConfig = await client
      .patch(`/api/v1/extensions/${extension.id}`)
      .bearerToken(token)
      .json({ type: 'forward' })
    noConfig.assertStatus(422)

    const forward = await client
      .patch(`/api/v1/extensions/${extension.id}`)
      .bearerToken(token)
      .json({ type: 'forward', configuration: { forward_to: '+15550100' } })
    forward.assertStatus(200)
    assert.isNull(forward.body().data.sipUsername)
    assert.isFalse(forward.body().data.voicemailEnabled)
    const raw = await db.from('extensions').where('id', extension.id).firstOrFail()
    assert.isNull(raw.sip_password)

    const back = await client
      .patch(`/api/v1/extensions/${extension.id}`)
      .bearerToken(token)
      .json({ type: 'user' })
    back.assertStatus(200)
    assert.equal(back.body().data.sipUsername, '700')
    assert.isAtLeast(back.body().data.sipPassword.length, 24)
    assert.deepEqual(back.body().data.configuration, {})

    const audit = await AuditLog.query()
      .where('action', 'extension.updated')
      .where('subject_id', String(extension.id))
      .orderBy('id')
    assert.deepEqual(
      audit.map((row) => row.metadata?.sipPasswordChanged),
      [false, false, true, true],
    )
    assert.notInclude(JSON.stringify(audit.map((row) => row.after)), back.body().data.sipPassword)
  })

  test('lists with pagination, filters, search and a sort whitelist', async ({
    client,
    assert,
  }) => {
    const { reporter, user, organization } = await createTenant()
    for (const number of ['110', '120', '130', '140']) await makeExtension(organization, { number })
    await makeExtension(organization, { number: '150', name: 'Zed Sales', userId: user.id })
    await makeExtension(organization, { number: '160', status: 'inactive' })
    await makeExtension(organization, {
      number: '170',
      type: 'forward',
      configuration: { forward_to: '+15550100' },
    })
    const token = await tokenFor(reporter)
    const list = (qs: Record<string, unknown>) =>
      client.get('/api/v1/extensions').qs(qs).bearerToken(token)

    const paged = await list({ perPage: 3, page: 2 })
    paged.assertStatus(200)
    assert.deepEqual(
      paged.body().data.map((e: { number: string }) => e.number),
      ['140', '150', '160'],
    )
    assert.deepInclude(paged.body().meta, { total: 7, perPage: 3, page: 2, lastPage: 3 })

    const numbersOf = async (qs: Record<string, unknown>) =>
      (await list(qs)).body().data.map((e: { number: string }) => e.number)
    assert.deepEqual(await numbersOf({ type: 'forward' }), ['170'])
    assert.deepEqual(await numbersOf({ status: 'inactive' }), ['160'])
    assert.deepEqual(await numbersOf({ userId: user.id }), ['150'])
    assert.deepEqual(await numbersOf({ search: 'zed' }), ['150'])
    assert.deepEqual(await numbersOf({ search: '13' }), ['130'])
    assert.deepEqual((await numbersOf({ sort: '-number' })).slice(0, 2), ['170', '160'])
    assert.equal((await numbersOf({ sort: 'name' }))[6], '150')

    ;(await list({ sort: 'sip_password' })).assertStatus(422)
    ;(await list({ perPage: 500 })).assertStatus(422)
    ;(await list({ type: 'queue' })).assertStatus(422)
  })

  test('soft-deletes and restores an extension', async ({ client, assert }) => {
    const { admin, organization } = await createTenant()
    const token = await tokenFor(admin)
    const extension = await makeExtension(organization, { number: '800' })
    ;(await client.delete(`/api/v1/extensions/${extension.id}`).bearerToken(token)).assertStatus(
      204,
    )
    ;(await client.get(`/api/v1/extensions/${extension.id}`).bearerToken(token)).assertStatus(404)
    const trashed = await client
      .get('/api/v1/extensions')
      .qs({ trashed: 'only' })
      .bearerToken(token)
    assert.deepEqual(
      trashed.body().data.map((e: { id: number }) => e.id),
      [extension.id],
    )
    // The number is free again while the extension is deleted.
    const reused = await makeExtension(organization, { number: '800', sipUsername: 'other' })
    const clash = await client.post(`/api/v1/extensions/${extension.id}/restore`).bearerToken(token)
    clash.assertStatus(409)
    await reused.delete()

    const restored = await client
      .post(`/api/v1/extensions/${extension.id}/restore`)
      .bearerToken(token)
    restored.assertStatus(200)
    assert.isNull(restored.body().data.deletedAt)
    ;(await client.get(`/api/v1/extensions/${extension.id}`).bearerToken(token)).assertStatus(200)
    ;(
      await client.post(`/api/v1/extensions/${extension.id}/restore`).bearerToken(token)
    ).assertStatus(404)
    const actions = await AuditLog.query()
      .where('subject_type', 'extension')
      .where('subject_id', String(extension.id))
      .select('action')
    assert.sameMembers(
      actions.map((a) => a.action),
      ['extension.deleted', 'extension.restored'],
    )
  })

  test('an extension other extensions send calls to cannot be deleted (409)', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const target = await makeExtension(organization, { number: '900' })
    const forward = await makeExtension(organization, {
      number: '901',
      type: 'forward',
      configuration: { forward_to: '900' },
    })
    const busy = await makeExtension(organization, { number: '902' })
    busy.forwarding = {
      ...busy.forwarding,
      busy: { enabled: true, destination: '900' },
      always: { enabled: false, destination: '900' },
    }
    await busy.save()
    const follower = await makeExtension(organization, { number: '903' })
    follower.followMe = { enabled: false, numbers: [{ number: '900', ringSeconds: 20 }] }
    await follower.save()
    const disabledOnly = await makeExtension(organization, { number: '904' })
    disabledOnly.forwarding = {
      ...disabledOnly.forwarding,
      always: { enabled: false, destination: '900' },
    }
    await disabledOnly.save()

    const token = await tokenFor(owner)
    const response = await client.delete(`/api/v1/extensions/${target.id}`).bearerToken(token)
    response.assertStatus(409)
    assert.equal(response.body().error.code, 'E_RESOURCE_IN_USE')
    assert.deepEqual(
      response.body().error.details.references.map((r: { id: number }) => r.id),
      [forward.id, busy.id, follower.id],
    )
    ;(await client.get(`/api/v1/extensions/${target.id}`).bearerToken(token)).assertStatus(200)
  })

  test('a conference room used by a conference extension is reported as referenced', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const roomId = await makeConferenceRoom(organization)
    const extension = await makeExtension(organization, {
      number: '950',
      type: 'conference',
      configuration: { conference_room_id: roomId },
    })
    const { default: references } = await import('#services/references/reference_registry')
    const found = await references.find('conference_room', organization.id, roomId)
    assert.deepEqual(
      found.map((r) => r.id),
      [extension.id],
    )
    await assert.rejects(
      () => references.assertUnreferenced('conference_room', 'room', organization.id, roomId),
      /still used/,
    )
  })

  test('removing the assigned user keeps the extension, without the user', async ({
    client,
    assert,
  }) => {
    const { owner, user, organization } = await createTenant()
    const token = await tokenFor(owner)
    const extension = await makeExtension(organization, { number: '210', userId: user.id })
    ;(await client.delete(`/api/v1/users/${user.id}`).bearerToken(token)).assertStatus(204)
    const shown = await client.get(`/api/v1/extensions/${extension.id}`).bearerToken(token)
    shown.assertStatus(200)
    assert.isNull(shown.body().data.user)

    await db.from('users').where('id', user.id).delete()
    const raw = await db.from('extensions').where('id', extension.id).firstOrFail()
    assert.isNull(raw.user_id)
    assert.isNull(raw.deleted_at)
  })

  test('rotates the SIP password: shown once, stored encrypted, audited masked', async ({
    client,
    assert,
  }) => {
    const { admin, organization } = await createTenant()
    const extension = await makeExtension(organization, { number: '220' })
    const response = await client
      .post(`/api/v1/extensions/${extension.id}/sip-password`)
      .bearerToken(await tokenFor(admin))
    response.assertStatus(200)
    const { sipPassword, sipUsername } = response.body().data
    assert.equal(sipUsername, '220')
    assert.isAtLeast(sipPassword.length, 24)
    assert.notEqual(sipPassword, 'seeded-sip-password-0123456789')
    const raw = await db.from('extensions').where('id', extension.id).firstOrFail()
    assert.notInclude(raw.sip_password, sipPassword)
    assert.equal(openSecret(raw.sip_password), sipPassword)
    const audit = await AuditLog.query()
      .where('action', 'extension.sip_password_rotated')
      .where('subject_id', String(extension.id))
      .firstOrFail()
    assert.notInclude(JSON.stringify(audit.metadata), sipPassword)
    assert.equal(audit.metadata?.sipPassword, '[redacted]')

    const forward = await makeExtension(organization, {
      number: '221',
      type: 'forward',
      configuration: { forward_to: '+15550100' },
    })
    ;(
      await client
        .post(`/api/v1/extensions/${forward.id}/sip-password`)
        .bearerToken(await tokenFor(admin))
    ).assertStatus(409)
  })
})
