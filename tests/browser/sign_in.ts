import type { Page } from 'playwright-core'
import { FACTORY_PASSWORD } from '#tests/helpers'
import { baseUrl } from '#tests/browser/chromium'

/** Signs a tenant user in through the login form and waits for the signed-in layout. */
export async function signIn(page: Page, email: string, password = FACTORY_PASSWORD) {
  await page.goto(`${baseUrl()}/login`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('navigation', { name: 'Main' }).waitFor()
}
