import { test } from '@japa/runner'
import type User from '#models/user'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'

/*
 * The matrix: every member reads extensions; owners and PBX admins manage them; a PBX user
 * changes only the personal settings of their own extension; reporters only read.
 */
test.group('Extensions RBAC', (group) => {
  isolate(group)

  test('every role may list and view extensions', async ({ client }) => {
    const tenant = await createTenant()
    const extension = await makeExtension(tenant.organization)
    for (const actor of [tenant.owner, tenant.admin, tenant.user, tenant.reporter]) {
      const token = await tokenFor(actor)
      ;(await client.get('/api/v1/extensions').bearerToken(token)).assertStatus(200)
      ;(await client.get(`/api/v1/extensions/${extension.id}`).bearerToken(token)).assertStatus(200)
    }
  })

  test('only owners and PBX admins create, update, delete, restore and rotate', async ({
    client,
    assert,
  }) => {
    const tenant = await createTenant()
    const expectations: [User, number][] = [
      [tenant.owner, 200],
      [tenant.admin, 200],
      [tenant.user, 403],
      [tenant.reporter, 403],
    ]
    let number = 300
    for (const [actor, allowed] of expectations) {
      const token = await tokenFor(actor)
      const extension = await makeExtension(tenant.organization)
      number += 1
      const created = await client
        .post('/api/v1/extensions')
        .bearerToken(token)
        .json({ number: String(number), name: 'New', type: 'user' })
      created.assertStatus(allowed === 200 ? 201 : 403)
      const updated = await client
        .patch(`/api/v1/extensions/${extension.id}`)
        .bearerToken(token)
        .json({ name: 'Renamed' })
      updated.assertStatus(allowed)
      const rotated = await client
        .post(`/api/v1/extensions/${extension.id}/sip-password`)
        .bearerToken(token)
      rotated.assertStatus(allowed)
      const deleted = await client.delete(`/api/v1/extensions/${extension.id}`).bearerToken(token)
      deleted.assertStatus(allowed === 200 ? 204 : 403)
      if (allowed === 200) {
        const restored = await client
          .post(`/api/v1/extensions/${extension.id}/restore`)
          .bearerToken(token)
        restored.assertStatus(200)
      } else {
        const trashed = await makeExtension(tenant.organization)
        await trashed.merge({ deletedAt: trashed.createdAt }).save()
        const restored = await client
          .post(`/api/v1/extensions/${trashed.id}/restore`)
          .bearerToken(token)
        restored.assertStatus(403)
        assert.equal(restored.body().error.code, 'E_FORBIDDEN')
      }
    }
  })

  test("a PBX user changes their own extension's personal settings, never its identity", async ({
    client,
    assert,
  }) => {
    const { user, organization } = await createTenant()
    const own = await makeExtension(organization, { userId: user.id })
    const token = await tokenFor(user)

    const voicemail = await client
      .patch(`/api/v1/extensions/${own.id}`)
      .bearerToken(token)
      .json({ voicemailEnabled: true })
    voicemail.assertStatus(200)
    assert.isTrue(voicemail.body().data.voicemailEnabled)

    const identityChanges = [
      { type: 'forward', configuration: { forward_to: '+15550100' } },
      { status: 'inactive' },
      { userId: null },
      { name: 'Mine now' },
      { voicemailEnabled: false, status: 'inactive' },
    ]
    for (const body of identityChanges) {
      const response = await client
        .patch(`/api/v1/extensions/${own.id}`)
        .bearerToken(token)
        .json(body)
      assert.equal(response.status(), 403, JSON.stringify(body))
    }
    ;(
      await client.patch(`/api/v1/extensions/${own.id}`).bearerToken(token).json({ number: '999' })
    ).assertStatus(422)
    await own.refresh()
    assert.equal(own.type, 'user')
    assert.equal(own.status, 'active')
    assert.equal(own.userId, user.id)

    ;(await client.put(`/api/v1/extensions/${own.id}/dnd`).bearerToken(token)).assertStatus(200)
    ;(
      await client
        .put(`/api/v1/extensions/${own.id}/forwarding`)
        .bearerToken(token)
        .json({ busy: { enabled: true, destination: '+15550100' } })
    ).assertStatus(200)
    ;(
      await client
        .put(`/api/v1/extensions/${own.id}/follow-me`)
        .bearerToken(token)
        .json({ enabled: true, numbers: [{ number: '+15550100', ringSeconds: 20 }] })
    ).assertStatus(200)
    ;(
      await client
        .put(`/api/v1/extensions/${own.id}/voicemail-box`)
        .bearerToken(token)
        .json({ pin: '4321' })
    ).assertStatus(200)
  })

  test("a PBX user gets 403 on someone else's extension settings; reporters on all", async ({
    client,
  }) => {
    const { user, reporter, admin, organization } = await createTenant()
    const others = await makeExtension(organization, { userId: admin.id })
    const unassigned = await makeExtension(organization)
    for (const actor of [user, reporter]) {
      const token = await tokenFor(actor)
      for (const extension of [others, unassigned]) {
        const requests = [
          client.patch(`/api/v1/extensions/${extension.id}`).json({ voicemailEnabled: true }),
          client.put(`/api/v1/extensions/${extension.id}/dnd`),
          client.delete(`/api/v1/extensions/${extension.id}/dnd`),
          client
            .put(`/api/v1/extensions/${extension.id}/forwarding`)
            .json({ always: { enabled: false } }),
          client
            .put(`/api/v1/extensions/${extension.id}/follow-me`)
            .json({ enabled: false, numbers: [] }),
          client.put(`/api/v1/extensions/${extension.id}/voicemail-box`).json({ notify: false }),
          client.get(`/api/v1/extensions/${extension.id}/voicemail-messages`),
        ]
        for (const request of requests) (await request.bearerToken(token)).assertStatus(403)
      }
    }
  })
})
