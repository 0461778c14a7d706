import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright-core'
import db from '@adonisjs/lucid/services/db'
import { createTenant, FACTORY_PASSWORD, isolate } from '#tests/helpers'
import { baseUrl, launch, screenshot } from '#tests/browser/chromium'

test.group('Extensions page in Chromium', (group) => {
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

  test('an admin creates an extension and sees its SIP password exactly once', async ({
    assert,
  }) => {
    const { admin, user } = await createTenant()
    await page.goto(`${baseUrl()}/login`)
    await page.getByLabel('Email').fill(admin.email)
    await page.getByLabel('Password').fill(FACTORY_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('link', { name: 'Extensions' }).click()
    await page.getByText('No extensions yet.').waitFor()

    await page.getByLabel('Number').fill('301')
    await page.getByLabel('Name').fill('Front desk')
    await page.getByLabel('Assign to').selectOption(String(user.id))
    await page.getByRole('button', { name: 'Create extension' }).click()

    const dialog = page.getByRole('dialog', { name: 'SIP credentials for 301' })
    await dialog.waitFor()
    const password = await page.getByTestId('sip-password').innerText()
    assert.isAtLeast(password.length, 24)
    await screenshot(page, 'extension-credentials')
    const [row] = await db
      .from('extensions')
      .where('number', '301')
      .select('sip_password', 'user_id')
    assert.notInclude(row.sip_password, password)
    assert.equal(row.user_id, user.id)

    await page.getByRole('button', { name: 'I have saved it' }).click()
    await page.reload()
    await page.getByTestId('extensions-table').waitFor()
    assert.equal(await page.getByRole('dialog').count(), 0)
    assert.include(await page.getByTestId('extensions-table').innerText(), 'Front desk')
  })
})
