import { test } from '@japa/runner'
import type { Page } from 'playwright-core'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { createTenant, FACTORY_PASSWORD, isolate } from '#tests/helpers'
import { makeConferenceRoom, makeExtension } from '#tests/functional/extensions/support'
import { wavFile } from '#tests/functional/recordings/helpers'
import { baseUrl, screenshot, useChromium } from '#tests/browser/chromium'

async function signIn(page: Page, email: string) {
  await page.goto(`${baseUrl()}/login`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(FACTORY_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('navigation', { name: 'PBX configuration' }).waitFor()
}

const pbxNav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'PBX configuration' }).getByRole('link', { name }).click()

/** axe-core in the page; only serious and critical violations fail the check. */
async function seriousViolations(page: Page) {
  await page.addScriptTag({ path: app.makePath('node_modules/axe-core/axe.min.js') })
  const violations = await page.evaluate(async () => {
    const browser = globalThis as any
    const result = await browser.axe.run(browser.document, {
      resultTypes: ['violations'],
    })
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.map((n: any) => n.target.join(' ')).slice(0, 3),
    }))
  })
  return (violations as { id: string; impact: string; nodes: string[] }[]).filter((v) =>
    ['serious', 'critical'].includes(v.impact),
  )
}

test.group('Admin console resource pages in Chromium', (group) => {
  isolate(group)
  const chromium = useChromium(group, { width: 1280, height: 900 })

  test('an admin creates an extension and a ring group and routes a number to it', async ({
    assert,
  }) => {
    const { admin, user, organization } = await createTenant()
    const page = chromium.page
    await signIn(page, admin.email)

    await pbxNav(page, 'Extensions')
    await page.getByLabel('Number', { exact: true }).fill('301')
    await page.getByLabel('Name', { exact: true }).fill('Front desk')
    await page.getByLabel('Assign to').selectOption(String(user.id))
    await page.getByRole('button', { name: 'Create extension' }).click()
    const dialog = page.getByRole('dialog', { name: 'SIP credentials for 301' })
    await dialog.waitFor()
    const password = await page.getByTestId('sip-password').innerText()
    await page.getByTestId('sip-qr').waitFor()
    assert.include(await page.getByTestId('sip-snippet').inputValue(), password)
    assert.include(await page.getByTestId('sip-snippet').inputValue(), organization.sipDomain)
    await screenshot(page, 'admin-extension-credentials')
    await page.getByRole('button', { name: 'I have saved it' }).click()
    await dialog.waitFor({ state: 'detached' })

    await page.getByLabel('Number', { exact: true }).fill('302')
    await page.getByLabel('Name', { exact: true }).fill('Back office')
    await page.getByRole('button', { name: 'Create extension' }).click()
    await page.getByRole('dialog', { name: 'SIP credentials for 302' }).waitFor()
    await page.getByRole('button', { name: 'I have saved it' }).click()
    await page.getByRole('cell', { name: 'Back office' }).waitFor()
    await screenshot(page, 'admin-extensions')

    await pbxNav(page, 'Ring groups')
    await page.getByTestId('empty-state').waitFor()
    await page.getByRole('button', { name: 'New ring group' }).click()
    await page.getByLabel('Group name').fill('Sales')
    const members = page.getByTestId('members')
    await members.getByLabel('Add member').selectOption({ label: '301 Front desk' })
    await members.getByRole('button', { name: 'Add', exact: true }).click()
    await members.getByLabel('Add member').selectOption({ label: '302 Back office' })
    await members.getByRole('button', { name: 'Add', exact: true }).click()
    await members.getByRole('button', { name: 'Move 302 Back office up' }).click()
    assert.deepEqual(await members.locator('.member-name').allInnerTexts(), [
      '302 Back office',
      '301 Front desk',
    ])
    await screenshot(page, 'admin-ring-group-editor')
    await page.getByRole('button', { name: 'Create ring group' }).click()
    await page.getByText('Ring group Sales created.').waitFor()
    const sales = await db.from('ring_groups').where('organization_id', organization.id).first()
    const order = await db
      .from('ring_group_members')
      .join('extensions', 'extensions.id', 'ring_group_members.extension_id')
      .where('ring_group_id', sales.id)
      .orderBy('priority')
      .select('extensions.number')
    assert.deepEqual(
      order.map((m) => m.number),
      ['302', '301'],
    )

    await pbxNav(page, 'Phone numbers')
    await page.getByRole('button', { name: 'Add phone number' }).click()
    const editor = page.getByTestId('phone-number-editor')
    await editor.getByLabel('Number', { exact: true }).fill('12345')
    await editor.getByLabel('Kind').selectOption('ring_group')
    await editor.getByLabel('Ring group').selectOption({ label: 'Sales' })
    await page.getByRole('button', { name: 'Add number' }).click()
    /* The server's field error lands next to the field, the form keeps what was typed. */
    await editor.getByText(/must be in E\.164 format/).waitFor()
    assert.equal(
      await editor.getByLabel('Number', { exact: true }).getAttribute('aria-invalid'),
      'true',
    )
    await editor.getByLabel('Number', { exact: true }).fill('+1 (415) 555-0100')
    await page.getByRole('button', { name: 'Add number' }).click()
    await page.getByText('+14155550100 created.').waitFor()
    await page.getByRole('cell', { name: 'Ring group: Sales' }).waitFor()
    const number = await db.from('phone_numbers').where('number', '+14155550100').first()
    assert.equal(number.organization_id, organization.id)
    assert.equal(number.routing_type, 'ring_group')
    assert.equal(number.routing_target_id, sales.id)
    await screenshot(page, 'admin-phone-numbers')

    /* A referenced ring group cannot go: the refusal comes back as a toast. */
    await pbxNav(page, 'Ring groups')
    await page.getByRole('button', { name: 'Delete ring group Sales' }).click()
    const confirm = page.getByRole('dialog', { name: 'Delete ring group Sales?' })
    await confirm.getByRole('button', { name: 'Delete' }).click()
    await page
      .getByRole('alert')
      .filter({ hasText: /is still used by/ })
      .waitFor()
    assert.isNull((await db.from('ring_groups').where('id', sales.id).first()).deleted_at)

    /* Delete asks first; Cancel keeps the number; deleted numbers come back with Restore. */
    await pbxNav(page, 'Phone numbers')
    await page.getByRole('button', { name: 'Delete number +14155550100' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click()
    assert.isNull((await db.from('phone_numbers').where('id', number.id).first()).deleted_at)
    await page.getByRole('button', { name: 'Delete number +14155550100' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
    await page.getByText(/\+14155550100 deleted/).waitFor()
    assert.isNotNull((await db.from('phone_numbers').where('id', number.id).first()).deleted_at)
    await page.getByRole('button', { name: 'Show deleted' }).click()
    await page.getByRole('button', { name: 'Restore number +14155550100' }).click()
    await page.getByText('+14155550100 restored.').waitFor()
    assert.isNull((await db.from('phone_numbers').where('id', number.id).first()).deleted_at)
  })

  test('an admin uploads a prompt with a progress bar and plays it back', async ({ assert }) => {
    const { admin, organization } = await createTenant()
    const page = chromium.page
    await signIn(page, admin.email)
    await pbxNav(page, 'Prompts')
    await page.getByRole('button', { name: 'Upload prompt' }).click()
    const panel = page.getByTestId('prompt-upload')

    /* A wrong file is refused by its bytes, the reason next to the file input. */
    await panel.getByLabel('Prompt name').fill('Welcome')
    await panel.getByLabel(/Audio file/).setInputFiles({
      name: 'welcome.wav',
      mimeType: 'audio/wav',
      buffer: Buffer.from('this is not audio at all'),
    })
    await panel.getByRole('button', { name: 'Upload prompt' }).click()
    await panel.getByText(/Only wav, mp3 are allowed/).waitFor()
    assert.equal(await panel.getByLabel(/Audio file/).getAttribute('aria-invalid'), 'true')

    /* Every value the progress bar shows is recorded, however fast the upload is. */
    await page.evaluate(() => {
      const seen: number[] = []
      ;(globalThis as any).progressSeen = seen
      new MutationObserver(() => {
        const bar = (globalThis as any).document.querySelector('progress')
        if (bar) seen.push(Number(bar.value))
      }).observe((globalThis as any).document.body, {
        subtree: true,
        childList: true,
        attributes: true,
      })
    })
    await panel.getByLabel(/Audio file/).setInputFiles({
      name: 'welcome.wav',
      mimeType: 'audio/wav',
      buffer: wavFile(30),
    })
    await panel.getByRole('button', { name: 'Upload prompt' }).click()
    await page.getByText('Prompt Welcome uploaded.').waitFor()
    const seen = (await page.evaluate(() => (globalThis as any).progressSeen)) as number[]
    assert.isAbove(seen.length, 0)

    const row = await db.from('recordings').where('organization_id', organization.id).first()
    assert.equal(row.name, 'Welcome')
    assert.equal(row.mime_type, 'audio/wav')
    const audio = page.getByLabel('Play Welcome')
    const src = await audio.getAttribute('src')
    assert.match(src!, /^\/files\//)
    const fetched = await page.evaluate(async (url) => {
      const response = await fetch(url!)
      return { status: response.status, type: response.headers.get('content-type') }
    }, src)
    assert.deepEqual(fetched, { status: 200, type: 'audio/wav' })
    await screenshot(page, 'admin-prompts')
  })

  test('a reporter sees the pages read-only', async ({ assert }) => {
    const { reporter, organization } = await createTenant()
    await makeExtension(organization, { number: '410', name: 'Lobby' })
    await signIn(chromium.page, reporter.email)
    await pbxNav(chromium.page, 'Extensions')
    await chromium.page.getByRole('cell', { name: 'Lobby' }).waitFor()
    assert.equal(await chromium.page.getByRole('button', { name: /Edit|Delete/ }).count(), 0)
    assert.equal(await chromium.page.getByRole('button', { name: 'Create extension' }).count(), 0)
    await pbxNav(chromium.page, 'Ring groups')
    await chromium.page.getByTestId('empty-state').waitFor()
    assert.equal(await chromium.page.getByRole('button', { name: 'New ring group' }).count(), 0)
    assert.equal(await chromium.page.getByRole('button', { name: 'Show deleted' }).count(), 0)
  })

  test('every resource page has no serious accessibility violation', async ({ assert }) => {
    const { owner, organization } = await createTenant()
    await makeExtension(organization, { number: '201', name: 'Reception', voicemailEnabled: true })
    await makeExtension(organization, { number: '202', name: 'Sales desk' })
    await makeConferenceRoom(organization, '800')
    const page = chromium.page
    await signIn(page, owner.email)

    const pages = [
      { link: 'Extensions', shot: 'admin-extensions-page', open: null },
      { link: 'Phone numbers', shot: 'admin-phone-numbers-page', open: 'Add phone number' },
      { link: 'Ring groups', shot: 'admin-ring-groups-page', open: 'New ring group' },
      { link: 'Business hours', shot: 'admin-business-hours-page', open: 'New schedule' },
      { link: 'IVR menus', shot: 'admin-ivr-menus-page', open: 'New IVR menu' },
      { link: 'Conference rooms', shot: 'admin-conference-rooms-page', open: null },
      { link: 'Voicemail', shot: 'admin-voicemail-boxes-page', open: null },
      { link: 'Prompts', shot: 'admin-prompts-page', open: 'Upload prompt' },
      { link: 'Trunks', shot: 'admin-trunks-page', open: 'New trunk' },
      { link: 'Outbound routes', shot: 'admin-outbound-routes-page', open: 'New outbound route' },
    ]
    const failures: Record<string, unknown> = {}
    for (const entry of pages) {
      await pbxNav(page, entry.link)
      await page
        .getByRole('heading', {
          level: 1,
          name: entry.link === 'Voicemail' ? 'Voicemail boxes' : entry.link,
        })
        .waitFor()
      if (entry.open) {
        await page.getByRole('button', { name: entry.open }).click()
        await page.locator('form.editor, section.editor').first().waitFor()
      }
      /* The widgets filled in, so the check also covers their rows. */
      if (entry.link === 'IVR menus') {
        await page.getByRole('button', { name: 'Add key 1' }).click()
        await page.getByRole('button', { name: 'Add key 2' }).click()
      }
      if (entry.link === 'Business hours')
        await page.getByRole('button', { name: 'Add holiday or exception' }).click()
      await screenshot(page, entry.shot)
      const serious = await seriousViolations(page)
      if (serious.length > 0) failures[entry.link] = serious
    }
    await pbxNav(page, 'Voicemail')
    await page.getByRole('button', { name: 'Edit voicemail box of 201' }).click()
    await page.getByTestId('voicemail-editor').waitFor()
    await screenshot(page, 'admin-voicemail-box-editor')
    const serious = await seriousViolations(page)
    if (serious.length > 0) failures['Voicemail editor'] = serious
    assert.deepEqual(failures, {}, JSON.stringify(failures, null, 1))
  })
})
