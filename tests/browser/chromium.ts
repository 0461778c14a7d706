import { mkdirSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { Group } from '@japa/runner/core'
import app from '@adonisjs/core/services/app'
import env from '#start/env'

/* Debian's Chromium; flags keep it from reaching for the (closed) network at start. */
const EXECUTABLE = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export const baseUrl = () => `http://127.0.0.1:${env.get('PORT')}`

export async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: EXECUTABLE, args: ARGS, headless: true })
}

/** Saves a screenshot under tmp/screenshots so a person can look at what the test saw. */
export async function screenshot(page: Page, name: string) {
  const dir = app.makePath('tmp', 'screenshots')
  mkdirSync(dir, { recursive: true })
  await page.screenshot({ path: `${dir}/${name}.png`, fullPage: true })
}

/**
 * One Chromium per test group and a fresh context (cookies, storage) per test. Returns a
 * holder whose `page` is the current test's page.
 */
export function useChromium(group: Group, viewport = { width: 1280, height: 900 }) {
  let browser: Browser
  const holder = {} as { page: Page }
  group.setup(async () => {
    browser = await launch()
    return () => browser.close()
  })
  group.each.setup(async () => {
    const context = await browser.newContext({ viewport })
    holder.page = await context.newPage()
    return () => context.close()
  })
  return holder
}
