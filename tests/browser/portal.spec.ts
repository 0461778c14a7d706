import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright-core'
import { createTenant, FACTORY_PASSWORD, isolate } from '#tests/helpers'
import { makeExtension, makeVoicemail } from '#tests/functional/extensions/support'
import { baseUrl, launch, screenshot } from '#tests/browser/chromium'

test.group('Self-service portal in Chromium', (group) => {
  isolate(group)
  let browser: Browser
  let page: Page
  group.setup(async () => {
    browser = await launch()
    return () => browser.close()
  })
  group.each.setup(async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    page = await context.newPage()
    return () => context.close()
  })

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

    await page.goto(`${baseUrl()}/login`)
    await page.getByLabel('Email').fill(user.email)
    await page.getByLabel('Password').fill(FACTORY_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('link', { name: 'My phone' }).click()
    await page.getByRole('heading', { name: /My phone: 201/ }).waitFor()

    await page.getByRole('button', { name: 'Turn do not disturb on' }).click()
    await page.getByRole('button', { name: 'Turn do not disturb off' }).waitFor()

    await page.getByRole('checkbox', { name: 'Always' }).check()
    await page.getByLabel('Always: forward to').fill('+442079460000')
    await page.getByRole('button', { name: 'Save forwarding' }).click()
    await page.getByText('Call forwarding saved.').waitFor()
    await extension.refresh()
    assert.isTrue(extension.dndEnabled)
    assert.equal(extension.forwarding.always.destination, '+442079460000')

    const audio = page.getByLabel('Voicemail from +15550123')
    const src = await audio.getAttribute('src')
    const fetched = await page.evaluate(async (url) => {
      const response = await fetch(url!)
      return { status: response.status, type: response.headers.get('content-type') }
    }, src)
    assert.deepEqual(fetched, { status: 200, type: 'audio/wav' })
    await screenshot(page, 'portal-phone')

    page.once('dialog', (dialog) => dialog.accept())
    await page.getByRole('button', { name: 'Delete' }).click()
    await page.getByText('No messages.').waitFor()
  })
})
