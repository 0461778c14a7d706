import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeConferenceRoom, makeExtension } from '#tests/functional/extensions/support'

const PAGES = [
  ['/extensions', 'extensions/index'],
  ['/phone-numbers', 'phone_numbers/index'],
  ['/ring-groups', 'ring_groups/index'],
  ['/business-hours', 'business_hours/index'],
  ['/ivr-menus', 'ivr_menus/index'],
  ['/conference-rooms', 'conference_rooms/index'],
  ['/trunks', 'trunks/index'],
  ['/outbound-routes', 'outbound_routes/index'],
  ['/voicemail-boxes', 'voicemail_boxes/index'],
  ['/prompts', 'prompts/index'],
] as const

test.group('Admin console resource pages', (group) => {
  isolate(group)

  test('each page renders its component with the policy abilities of the role', async ({
    client,
    assert,
  }) => {
    const { admin, reporter, user, organization } = await createTenant()
    await makeExtension(organization, { number: '201', voicemailEnabled: true })
    await makeConferenceRoom(organization, '800')
    for (const [path, component] of PAGES) {
      const asAdmin = await client.get(path).withGuard('web').loginAs(admin).withInertia()
      assert.equal(asAdmin.status(), 200, path)
      asAdmin.assertInertiaComponent(component)
      const props = asAdmin.body().props
      if (path !== '/voicemail-boxes')
        assert.containSubset(
          props.can,
          { create: true, update: true, delete: true, restore: true },
          path,
        )
      // The page's `can` replaces the shared one, so it must still drive the navigation.
      assert.containSubset(props.can, { 'users.manage': true, 'calls.live': true }, path)
      for (const reader of [reporter, user]) {
        const page = await client.get(path).withGuard('web').loginAs(reader).withInertia()
        assert.equal(page.status(), 200, `${path} as ${reader.role}`)
        const abilities = page.body().props.can
        const resourceKeys = ['create', 'update', 'delete', 'restore', 'users.manage', 'calls.live']
        assert.isTrue(
          resourceKeys.every((key) => abilities[key] !== true),
          `${path} as ${reader.role}: ${JSON.stringify(abilities)}`,
        )
      }
    }
  })

  test('only user extensions get a new SIP password, from the page and the API alike', async ({
    client,
    assert,
  }) => {
    const { admin, organization } = await createTenant()
    const forward = await makeExtension(organization, {
      type: 'forward',
      configuration: { forward_to: '+442079460000' },
    })
    const phone = await makeExtension(organization)
    const before = phone.sipPassword

    const refused = await client
      .post(`/extensions/${forward.id}/sip-password`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .header('referer', '/extensions')
      .redirects(0)
    assert.equal(refused.flashMessage('error'), 'Only user extensions have SIP credentials')
    const api = await client
      .post(`/api/v1/extensions/${forward.id}/sip-password`)
      .bearerToken(await tokenFor(admin))
    api.assertStatus(409)

    const rotated = await client
      .post(`/extensions/${phone.id}/sip-password`)
      .withGuard('web')
      .loginAs(admin)
      .withCsrfToken()
      .header('referer', '/extensions')
      .redirects(0)
    const shown = rotated.flashMessage('sipCredentials') as { password: string }
    await phone.refresh()
    assert.notEqual(phone.sipPassword, before)
    assert.equal(phone.sipPassword, shown.password)
  })

  test('a reporter posting anyway is refused by the policy', async ({ client, assert }) => {
    const { reporter } = await createTenant()
    const response = await client
      .post('/ring-groups')
      .withGuard('web')
      .loginAs(reporter)
      .withCsrfToken()
      .header('referer', '/ring-groups')
      .json({ name: 'Sneaky', members: [] })
      .redirects(0)
    assert.equal(response.flashMessage('error'), 'You are not allowed to perform this action')
    assert.isNull(await db.from('ring_groups').where('name', 'Sneaky').first())
  })
})
