import { test } from '@japa/runner'
import type { Browser, Page } from 'playwright-core'
import AuditLog from '#models/audit_log'
import { createTenant, FACTORY_PASSWORD, isolate } from '#tests/helpers'
import { createStaff, STAFF_PASSWORD } from '#tests/helpers_staff'
import { baseUrl, launch, screenshot } from '#tests/browser/chromium'

test.group('Web console in Chromium', (group) => {
  isolate(group)
  let browser: Browser
  let page: Page
  group.setup(async () => {
    browser = await launch()
    return () => browser.close()
  })
  group.each.setup(async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    page = await context.newPage()
    return () => context.close()
  })

  test('a tenant admin signs in, sees the dashboard and the users list', async ({ assert }) => {
    const { admin, organization, user } = await createTenant()
    await page.goto(`${baseUrl()}/login`)
    await page.getByLabel('Email').fill(admin.email)
    await page.getByLabel('Password').fill(FACTORY_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: organization.name }).waitFor()
    await screenshot(page, 'dashboard')

    await page.getByRole('link', { name: 'Users' }).click()
    await page.getByTestId('users-table').waitFor()
    const table = await page.getByTestId('users-table').innerText()
    assert.include(table, user.email)
    await screenshot(page, 'users')
  })

  test('a wrong password shows the reason on the form', async ({ assert }) => {
    const { user } = await createTenant()
    await page.goto(`${baseUrl()}/login`)
    await page.getByLabel('Email').fill(user.email)
    await page.getByLabel('Password').fill('Wrong-pass-1')
    await page.getByRole('button', { name: 'Sign in' }).click()
    const alert = page.getByRole('alert')
    await alert.waitFor()
    assert.equal(await alert.innerText(), 'Invalid email or password')
  })

  test('support impersonates with a reason, sees the banner, and leaves in one click', async ({
    assert,
  }) => {
    const staff = await createStaff()
    const { owner } = await createTenant()
    await page.goto(`${baseUrl()}/support/login`)
    await page.getByLabel('Staff email').fill(staff.email)
    await page.getByLabel('Password').fill(STAFF_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()

    await page.getByPlaceholder('Find a user by name or email').fill(owner.email)
    await page.getByRole('button', { name: 'Search' }).click()
    await page
      .getByRole('row', { name: new RegExp(owner.email) })
      .getByRole('button', { name: 'Impersonate…' })
      .click()
    await page.getByLabel('Reason').fill('Ticket 77: cannot find the users page')
    await page.getByRole('button', { name: 'Start impersonation' }).click()

    const banner = page.getByTestId('impersonation-banner')
    await banner.waitFor()
    assert.include(await banner.innerText(), `acting as ${owner.email}`)
    await screenshot(page, 'impersonation-banner')

    await page.getByRole('button', { name: 'Stop impersonating' }).click()
    await page.getByPlaceholder('Find a user by name or email').waitFor()
    assert.equal(await page.getByTestId('impersonation-banner').count(), 0)

    const actions = (
      await AuditLog.query().where('impersonator_staff_id', staff.id).orderBy('id')
    ).map((a) => a.action)
    assert.deepEqual(actions, ['impersonation.started', 'impersonation.stopped'])
  })
})
