import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, FACTORY_PASSWORD, isolate } from '#tests/helpers'
import { baseUrl, screenshot, useChromium } from '#tests/browser/chromium'

test.group('Extensions page in Chromium', (group) => {
  isolate(group)
  const chromium = useChromium(group, { width: 1280, height: 900 })

  test('an admin creates an extension and sees its SIP password exactly once', async ({
    assert,
  }) => {
    const { admin, user } = await createTenant()
    await chromium.page.goto(`${baseUrl()}/login`)
    await chromium.page.getByLabel('Email').fill(admin.email)
    await chromium.page.getByLabel('Password').fill(FACTORY_PASSWORD)
    await chromium.page.getByRole('button', { name: 'Sign in' }).click()
    await chromium.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'PBX' })
      .click()
    await chromium.page.getByText('No extensions yet.').waitFor()

    await chromium.page.getByLabel('Number').fill('301')
    await chromium.page.getByLabel('Name').fill('Front desk')
    await chromium.page.getByLabel('Assign to').selectOption(String(user.id))
    await chromium.page.getByRole('button', { name: 'Create extension' }).click()

    const dialog = chromium.page.getByRole('dialog', { name: 'SIP credentials for 301' })
    await dialog.waitFor()
    const password = await chromium.page.getByTestId('sip-password').innerText()
    assert.isAtLeast(password.length, 24)
    await screenshot(chromium.page, 'extension-credentials')
    const [row] = await db
      .from('extensions')
      .where('number', '301')
      .select('sip_password', 'user_id')
    assert.notInclude(row.sip_password, password)
    assert.equal(row.user_id, user.id)

    await chromium.page.getByRole('button', { name: 'I have saved it' }).click()
    await chromium.page.reload()
    await chromium.page.getByTestId('extensions-table').waitFor()
    assert.equal(await chromium.page.getByRole('dialog').count(), 0)
    assert.include(await chromium.page.getByTestId('extensions-table').innerText(), 'Front desk')
  })
})
