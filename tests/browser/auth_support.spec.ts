import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import User from '#models/user'
import { createTenant, isolate } from '#tests/helpers'
import { createStaff, STAFF_PASSWORD } from '#tests/helpers_staff'
import { useSmtpSink } from '#tests/support/smtp_sink'
import { baseUrl, screenshot, useChromium } from '#tests/browser/chromium'
import { seriousViolations } from '#tests/browser/axe'
import { signIn } from '#tests/browser/sign_in'

test.group('Password recovery, CSRF and support console in Chromium', (group) => {
  isolate(group)
  const chromium = useChromium(group, { width: 1280, height: 900 })
  const sink = useSmtpSink(group)
  group.each.setup(() => sink.clear())

  test('forgot password: the emailed link sets a new password, then sign-in works', async ({
    assert,
  }) => {
    const { user } = await createTenant()
    const page = chromium.page
    await page.goto(`${baseUrl()}/login`)
    await screenshot(page, 'login')
    assert.deepEqual(await seriousViolations(page), [])
    await page.getByRole('link', { name: 'Forgot your password?' }).click()
    await page.getByLabel('Email').fill(user.email)
    await screenshot(page, 'forgot-password')
    assert.deepEqual(await seriousViolations(page), [])
    await page.getByRole('button', { name: 'Send reset link' }).click()
    await page.getByText(/If an account uses that address/).waitFor()

    const message = await sink.waitForRecipient(user.email)
    const link = new URL(message.text.match(/https?:\/\/\S+/)![0])
    await page.goto(`${baseUrl()}${link.pathname}${link.search}`)
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor()

    await page.locator('input[name="password"]').fill('password')
    await page.getByLabel('Repeat the new password').fill('password')
    await page.getByRole('button', { name: 'Set new password' }).click()
    await page.locator('.field-error').first().waitFor()
    await screenshot(page, 'reset-password-error')
    assert.deepEqual(await seriousViolations(page), [])

    await page.locator('input[name="password"]').fill('Fresh-start-2026')
    await page.getByLabel('Repeat the new password').fill('Fresh-start-2026')
    await page.getByRole('button', { name: 'Set new password' }).click()
    await page.getByText('Your password has been reset. Sign in with the new one.').waitFor()

    await page.getByLabel('Email').fill(user.email)
    await page.getByLabel('Password').fill('Fresh-start-2026')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
  })

  test('a form post without the CSRF token is refused in the browser', async ({ assert }) => {
    const { user } = await createTenant()
    const page = chromium.page
    await signIn(page, user.email)

    // Same session cookie, no X-XSRF-TOKEN header and no _csrf field: what a forged
    // cross-site form would send.
    const status = await page.evaluate(async () => {
      const response = await fetch('/settings/tokens', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'name=forged&expiresInDays=30',
        redirect: 'manual',
      })
      return response.status
    })
    assert.notEqual(status, 200)
    assert.lengthOf(await User.accessTokens.all(user), 0)

    // The page's own form, which sends the token, works.
    await page.goto(`${baseUrl()}/settings/tokens`)
    await page.getByLabel('Token name').fill('legit')
    await page.getByRole('button', { name: 'Create token' }).click()
    await page.getByTestId('copy-once').waitFor()
    assert.lengthOf(await User.accessTokens.all(user), 1)
    await screenshot(page, 'api-tokens')
    assert.deepEqual(await seriousViolations(page), [])
  })

  test('support finds an organization, impersonates with a reason and exits', async ({
    assert,
  }) => {
    const staff = await createStaff()
    const { organization, admin } = await createTenant()
    organization.name = 'Zephyr Dental Group'
    await organization.save()
    const page = chromium.page
    await page.goto(`${baseUrl()}/support/login`)
    await page.getByLabel('Staff email').fill(staff.email)
    await page.getByLabel('Password').fill(STAFF_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()

    await page.getByLabel('Search organizations and users').fill('zephyr')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.getByRole('link', { name: '4 users of Zephyr Dental Group' }).click()
    await page.waitForURL(/organizationId=/)
    await screenshot(page, 'support-console')
    assert.deepEqual(await seriousViolations(page), [])

    await page
      .getByRole('row', { name: new RegExp(admin.email) })
      .getByRole('button', { name: 'Impersonate…' })
      .click()
    // Focus moved to the reason field.
    assert.equal(
      await page.evaluate(() => (globalThis as any).document.activeElement?.name),
      'reason',
    )
    await page.keyboard.type('Ticket 901: live calls page looks empty')
    await page.getByRole('button', { name: 'Start impersonation' }).click()

    const banner = page.getByTestId('impersonation-banner')
    await banner.waitFor()
    assert.include(await banner.innerText(), `acting as ${admin.email}`)
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Live calls' })
      .click()
    await page.getByRole('heading', { name: 'Live calls' }).waitFor()
    assert.include(await banner.innerText(), 'Ticket 901')
    await screenshot(page, 'impersonating-live-calls')

    await page.getByRole('button', { name: 'Stop impersonating' }).click()
    await page.getByLabel('Search organizations and users').waitFor()
    assert.equal(await page.getByTestId('impersonation-banner').count(), 0)
    const actions = (
      await AuditLog.query().where('impersonator_staff_id', staff.id).orderBy('id')
    ).map((a) => a.action)
    assert.deepEqual(actions, ['impersonation.started', 'impersonation.stopped'])
  })
})
