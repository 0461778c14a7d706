import { test } from '@japa/runner'
import { createTenant, isolate } from '#tests/helpers'
import { makeExtension, makeVoicemail } from '#tests/functional/extensions/support'

test.group('Self-service portal: My phone', (group) => {
  isolate(group)

  test('shows only the extensions and voicemail of the signed-in user', async ({
    client,
    assert,
  }) => {
    const { user, admin, organization } = await createTenant()
    const mine = await makeExtension(organization, { number: '201', userId: user.id })
    const theirs = await makeExtension(organization, { number: '202', userId: admin.id })
    await makeVoicemail(mine)
    await makeVoicemail(theirs)

    const page = await client.get('/phone').withGuard('web').loginAs(user).withInertia()
    page.assertStatus(200)
    page.assertInertiaComponent('portal/phone')
    const props = page.body().props
    assert.deepEqual(
      props.extensions.map((e: { number: string }) => e.number),
      ['201'],
    )
    assert.equal(props.extension.id, mine.id)
    assert.lengthOf(props.messages, 1)
    assert.match(props.messages[0].audioUrl, /^\/files\//)
    assert.notProperty(props.extension, 'sipPassword')

    // Asking for someone else's extension falls back to the user's own.
    const other = await client
      .get('/phone')
      .qs({ extension: theirs.id })
      .withGuard('web')
      .loginAs(user)
      .withInertia()
    assert.equal(other.body().props.extension.id, mine.id)
  })

  test('a user toggles DND and sets forwarding on their own extension only', async ({
    client,
    assert,
  }) => {
    const { user, admin, organization } = await createTenant()
    const mine = await makeExtension(organization, { number: '201', userId: user.id })
    const theirs = await makeExtension(organization, { number: '202', userId: admin.id })
    const dnd = await client
      .put(`/phone/extensions/${mine.id}/dnd`)
      .withGuard('web')
      .loginAs(user)
      .withCsrfToken()
      .form({ enabled: true })
      .redirects(0)
    dnd.assertStatus(302)
    await mine.refresh()
    assert.isTrue(mine.dndEnabled)

    const forwarding = await client
      .put(`/phone/extensions/${mine.id}/forwarding`)
      .withGuard('web')
      .loginAs(user)
      .withCsrfToken()
      .json({ always: { enabled: true, destination: '+442079460000' } })
      .redirects(0)
    forwarding.assertStatus(302)
    await mine.refresh()
    assert.deepInclude(mine.forwarding.always, { enabled: true, destination: '+442079460000' })

    const denied = await client
      .put(`/phone/extensions/${theirs.id}/dnd`)
      .withGuard('web')
      .loginAs(user)
      .withCsrfToken()
      .header('referer', '/phone')
      .form({ enabled: true })
      .redirects(0)
    assert.equal(denied.flashMessage('error'), 'You are not allowed to perform this action')
    await theirs.refresh()
    assert.isFalse(theirs.dndEnabled)
  })

  test("another organization's extension or message is not found", async ({ client }) => {
    const a = await createTenant()
    const b = await createTenant()
    const foreign = await makeExtension(b.organization, { number: '301', userId: b.user.id })
    const message = await makeVoicemail(foreign)
    const dnd = await client
      .put(`/phone/extensions/${foreign.id}/dnd`)
      .withGuard('web')
      .loginAs(a.owner)
      .withCsrfToken()
      .form({ enabled: true })
      .redirects(0)
    dnd.assertStatus(404)
    const del = await client
      .delete(`/phone/voicemail/${message.id}`)
      .withGuard('web')
      .loginAs(a.owner)
      .withCsrfToken()
      .redirects(0)
    del.assertStatus(404)
  })
})
