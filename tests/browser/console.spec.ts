import { test } from '@japa/runner'
import AuditLog from '#models/audit_log'
import { createTenant, FACTORY_PASSWORD, isolate } from '#tests/helpers'
import { createStaff, STAFF_PASSWORD } from '#tests/helpers_staff'
import { baseUrl, screenshot, useChromium } from '#tests/browser/chromium'

test.group('Web console in Chromium', (group) => {
  isolate(group)
  const chromium = useChromium(group, { width: 1280, height: 800 })

  test('a tenant admin signs in, sees the dashboard and the users list', async ({ assert }) => {
    const { admin, organization, user } = await createTenant()
    await chromium.page.goto(`${baseUrl()}/login`)
    await chromium.page.getByLabel('Email').fill(admin.email)
    await chromium.page.getByLabel('Password').fill(FACTORY_PASSWORD)
    await chromium.page.getByRole('button', { name: 'Sign in' }).click()
    await chromium.page.getByRole('heading', { name: organization.name }).waitFor()
    await screenshot(chromium.page, 'dashboard')

    await chromium.page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Users' })
      .click()
    await chromium.page.getByTestId('users-table').waitFor()
    const table = await chromium.page.getByTestId('users-table').innerText()
    assert.include(table, user.email)
    await screenshot(chromium.page, 'users')
  })

  test('a wrong password shows the reason on the form', async ({ assert }) => {
    const { user } = await createTenant()
    await chromium.page.goto(`${baseUrl()}/login`)
    await chromium.page.getByLabel('Email').fill(user.email)
    await chromium.page.getByLabel('Password').fill('Wrong-pass-1')
    await chromium.page.getByRole('button', { name: 'Sign in' }).click()
    const alert = chromium.page.getByRole('alert')
    await alert.waitFor()
    assert.equal(await alert.innerText(), 'Invalid email or password')
  })

  test('support impersonates with a reason, sees the banner, and leaves in one click', async ({
    assert,
  }) => {
    const staff = await createStaff()
    const { owner } = await createTenant()
    await chromium.page.goto(`${baseUrl()}/support/login`)
    await chromium.page.getByLabel('Staff email').fill(staff.email)
    await chromium.page.getByLabel('Password').fill(STAFF_PASSWORD)
    await chromium.page.getByRole('button', { name: 'Sign in' }).click()

    await chromium.page.getByPlaceholder('Find a user by name or email').fill(owner.email)
    await chromium.page.getByRole('button', { name: 'Search' }).click()
    await chromium.page
      .getByRole('row', { name: new RegExp(owner.email) })
      .getByRole('button', { name: 'Impersonate…' })
      .click()
    await chromium.page.getByLabel('Reason').fill('Ticket 77: cannot find the users page')
    await chromium.page.getByRole('button', { name: 'Start impersonation' }).click()

    const banner = chromium.page.getByTestId('impersonation-banner')
    await banner.waitFor()
    assert.include(await banner.innerText(), `acting as ${owner.email}`)
    await screenshot(chromium.page, 'impersonation-banner')

    await chromium.page.getByRole('button', { name: 'Stop impersonating' }).click()
    await chromium.page.getByPlaceholder('Find a user by name or email').waitFor()
    assert.equal(await chromium.page.getByTestId('impersonation-banner').count(), 0)

    const actions = (
      await AuditLog.query().where('impersonator_staff_id', staff.id).orderBy('id')
    ).map((a) => a.action)
    assert.deepEqual(actions, ['impersonation.started', 'impersonation.stopped'])
  })
})
