import { test } from '@japa/runner'
import { createTenant, isolate } from '#tests/helpers'
import { screenshot, useChromium } from '#tests/browser/chromium'
import { seriousViolations } from '#tests/browser/axe'
import { signIn } from '#tests/browser/sign_in'

test.group('Settings pages in Chromium', (group) => {
  isolate(group)
  const chromium = useChromium(group, { width: 1280, height: 900 })

  test('the owner rotates the webhook secret, switches to edge mode, then reads the audit log', async ({
    assert,
  }) => {
    const { owner } = await createTenant()
    const page = chromium.page
    await signIn(page, owner.email)
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Settings' })
      .click()
    await page
      .getByRole('navigation', { name: 'Settings' })
      .getByRole('link', { name: 'PBX & webhooks' })
      .click()
    await page.getByRole('heading', { name: 'PBX settings' }).waitFor()

    page.once('dialog', (dialog) => dialog.accept())
    await page.getByRole('button', { name: 'Rotate secret' }).click()
    const secret = page.getByLabel('New webhook secret')
    await secret.waitFor()
    assert.match(await secret.innerText(), /^[\w-]{40,}$/)
    await screenshot(page, 'settings-pbx')
    assert.deepEqual(await seriousViolations(page), [])

    await page.getByRole('radio', { name: /Own edge/ }).check()
    await page.getByRole('button', { name: 'Save PBX settings' }).click()
    await page.getByText('PBX settings saved.').waitFor()
    // Shown once: a reload no longer has it.
    await page.reload()
    assert.equal(await page.getByLabel('New webhook secret').count(), 0)
    assert.isTrue(await page.getByRole('radio', { name: /Own edge/ }).isChecked())

    await page
      .getByRole('navigation', { name: 'Settings' })
      .getByRole('link', { name: 'Audit log' })
      .click()
    await page.getByTestId('audit-table').waitFor()
    const table = await page.getByTestId('audit-table').innerText()
    assert.include(table, 'webhook_secret.rotated')
    assert.include(table, 'settings.updated')
    await page.getByLabel('Action starts with').fill('webhook_secret.')
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL(/action=webhook_secret/)
    assert.notInclude(await page.getByTestId('audit-table').innerText(), 'settings.updated')
    await screenshot(page, 'settings-audit')
    assert.deepEqual(await seriousViolations(page), [])
  })
})
