import { test } from '@japa/runner'
import { createTenant, FACTORY_PASSWORD, isolate } from '#tests/helpers'
import { makeExtension, makeVoicemail } from '#tests/functional/extensions/support'
import { baseUrl, screenshot, useChromium } from '#tests/browser/chromium'

test.group('Self-service portal in Chromium', (group) => {
  isolate(group)
  const chromium = useChromium(group, { width: 1280, height: 900 })

  test('a PBX user turns on DND, forwards calls and plays then deletes a voicemail', async ({
    assert,
  }) => {
    const { user, organization } = await createTenant()
    const extension = await makeExtension(organization, {
      number: '201',
      userId: user.id,
      voicemailEnabled: true,
    })
    await makeVoicemail(extension, { callerNumber: '+15550123' })

    await chromium.page.goto(`${baseUrl()}/login`)
    await chromium.page.getByLabel('Email').fill(user.email)
    await chromium.page.getByLabel('Password').fill(FACTORY_PASSWORD)
    await chromium.page.getByRole('button', { name: 'Sign in' }).click()
    await chromium.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'My phone' })
      .click()
    await chromium.page.getByRole('heading', { name: /My phone: 201/ }).waitFor()

    await chromium.page.getByRole('button', { name: 'Turn do not disturb on' }).click()
    await chromium.page.getByRole('button', { name: 'Turn do not disturb off' }).waitFor()

    await chromium.page.getByRole('checkbox', { name: 'Always' }).check()
    await chromium.page.getByLabel('Always: forward to').fill('+442079460000')
    await chromium.page.getByRole('button', { name: 'Save forwarding' }).click()
    await chromium.page.getByText('Call forwarding saved.').waitFor()
    await extension.refresh()
    assert.isTrue(extension.dndEnabled)
    assert.equal(extension.forwarding.always.destination, '+442079460000')

    const audio = chromium.page.getByLabel('Voicemail from +15550123')
    const src = await audio.getAttribute('src')
    const fetched = await chromium.page.evaluate(async (url) => {
      const response = await fetch(url!)
      return { status: response.status, type: response.headers.get('content-type') }
    }, src)
    assert.deepEqual(fetched, { status: 200, type: 'audio/wav' })
    await screenshot(chromium.page, 'portal-phone')

    chromium.page.once('dialog', (dialog) => dialog.accept())
    await chromium.page.getByRole('button', { name: 'Delete' }).click()
    await chromium.page.getByText('No messages.').waitFor()
  })
})
