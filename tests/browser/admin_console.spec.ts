import { test } from '@japa/runner'
import type { Page } from 'playwright-core'
import db from '@adonisjs/lucid/services/db'
import { createTenant, FACTORY_PASSWORD, isolate } from '#tests/helpers'
import { makeConferenceRoom, makeExtension } from '#tests/functional/extensions/support'
import { wavFile } from '#tests/functional/recordings/helpers'
import { baseUrl, screenshot, useChromium } from '#tests/browser/chromium'
import { seriousViolations } from '#tests/browser/axe'

async function signIn(page: Page, email: string) {
  await page.goto(`${baseUrl()}/login`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(FACTORY_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('navigation', { name: 'PBX configuration' }).waitFor()
}

const pbxNav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'PBX configuration' }).getByRole('link', { name }).click()

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
    assert.deepEqual(await seriousViolations(page), [], 'credentials dialog')
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
    /* Real HTML5 drag and drop in Chromium: 301 dragged back onto the first row, then back. */
    await members
      .locator('li', { hasText: '301 Front desk' })
      .dragTo(members.locator('li', { hasText: '302 Back office' }))
    assert.deepEqual(await members.locator('.member-name').allInnerTexts(), [
      '301 Front desk',
      '302 Back office',
    ])
    await members.getByRole('button', { name: 'Move 301 Front desk down' }).click()
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
    /* The safe choice has the focus; the dialog passes axe too. */
    assert.equal(
      await confirm
        .getByRole('button', { name: 'Cancel' })
        .evaluate((button) => button === (globalThis as any).document.activeElement),
      true,
    )
    await screenshot(page, 'admin-confirm-delete')
    assert.deepEqual(await seriousViolations(page), [], 'confirmation dialog')
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
      const browser = globalThis as any
      const seen: number[] = []
      browser.progressSeen = seen
      new browser.MutationObserver(() => {
        const bar = browser.document.querySelector('progress')
        if (bar) seen.push(Number(bar.value))
      }).observe(browser.document.body, {
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

  test('the other forms save through the API rules: schedule, IVR, room, trunk, route, voicemail', async ({
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const reception = await makeExtension(organization, {
      number: '201',
      name: 'Reception',
      voicemailEnabled: true,
    })
    const page = chromium.page
    await signIn(page, owner.email)
    const inOrg = (table: string) => db.from(table).where('organization_id', organization.id)

    /* Business hours: office hours preset, Saturday morning, a holiday, open → extension. */
    await pbxNav(page, 'Business hours')
    await page.getByRole('button', { name: 'New schedule' }).click()
    let form = page.getByTestId('business-hours-editor')
    await form.getByLabel('Schedule name').fill('Office')
    await form.getByLabel('Time zone').selectOption('Europe/London')
    await form.getByRole('button', { name: 'Add hours on Saturday' }).click()
    await form.getByLabel('Saturday range 1 closes').fill('12:00')
    await form.getByRole('button', { name: 'Add holiday or exception' }).click()
    await form.getByTestId('exception').getByLabel('Date').fill('2026-12-25')
    await form.getByTestId('exception').getByLabel('Name').fill('Christmas')
    await form
      .getByRole('group', { name: 'While open, calls go to' })
      .getByLabel('Extension')
      .selectOption({ label: '201 Reception' })
    await screenshot(page, 'admin-business-hours-editor')
    await form.getByRole('button', { name: 'Create schedule' }).click()
    await page.getByText('Schedule Office created.').waitFor()
    const schedule = await inOrg('business_hours_schedules').first()
    assert.include(schedule, {
      timezone: 'Europe/London',
      open_target_type: 'extension',
      open_target_id: reception.id,
    })
    const weekly = await db
      .from('business_hours_rules')
      .where('schedule_id', schedule.id)
      .orderBy('day_of_week')
    assert.deepEqual(
      weekly.map((r) => `${r.day_of_week} ${r.start_time}-${r.end_time}`),
      [
        '1 09:00-17:00',
        '2 09:00-17:00',
        '3 09:00-17:00',
        '4 09:00-17:00',
        '5 09:00-17:00',
        '6 09:00-12:00',
      ],
    )
    const holiday = await db
      .from('business_hours_exceptions')
      .where('schedule_id', schedule.id)
      .first()
    assert.include(holiday, { name: 'Christmas', kind: 'closed' })
    await page.getByRole('button', { name: 'Duplicate schedule Office' }).click()
    await page.getByText('Schedule Office copied as Office (copy).').waitFor()
    await page.getByRole('cell', { name: 'Office (copy)', exact: true }).waitFor()

    /* IVR: TTS greeting, key 1 → reception, key 2 → the schedule is not a target; hang up. */
    await pbxNav(page, 'IVR menus')
    await page.getByRole('button', { name: 'New IVR menu' }).click()
    form = page.getByTestId('ivr-editor')
    await form.getByLabel('Menu name').fill('Main')
    await form.getByLabel('Greeting text').fill('Thanks for calling. Press 1 for reception.')
    await form.getByRole('button', { name: 'Add key 1' }).click()
    await form.getByTestId('ivr-option').getByLabel('Description').fill('Reception')
    await form
      .getByTestId('ivr-option')
      .getByLabel('Extension')
      .selectOption({ label: '201 Reception' })
    await form.getByRole('button', { name: 'Add key 2' }).click()
    await form.getByTestId('ivr-option').nth(1).getByLabel('Kind').selectOption('voicemail')
    await form
      .getByTestId('ivr-option')
      .nth(1)
      .getByLabel('Voicemail')
      .selectOption({ label: '201 Reception' })
    await screenshot(page, 'admin-ivr-editor')
    await form.getByRole('button', { name: 'Create menu' }).click()
    await page.getByText('IVR menu Main created.').waitFor()
    const menu = await inOrg('ivr_menus').first()
    const keys = await db.from('ivr_menu_options').where('ivr_menu_id', menu.id).orderBy('position')
    assert.deepEqual(
      keys.map((k) => [k.digit, k.target_type, k.target_id]),
      [
        ['1', 'extension', reception.id],
        ['2', 'voicemail', reception.id],
      ],
    )

    /* Conference room with a PIN (never shown back). */
    await pbxNav(page, 'Conference rooms')
    await page.getByRole('button', { name: 'New conference room' }).click()
    form = page.getByTestId('conference-room-editor')
    await form.getByLabel('Room number').fill('800')
    await form.getByLabel('Room name').fill('Board')
    await form.getByLabel('Participant PIN').fill('12')
    await form.getByRole('button', { name: 'Create room' }).click()
    await form.getByText(/format is invalid|must match|invalid/i).waitFor()
    await form.getByLabel('Participant PIN').fill('4321')
    await form.getByRole('button', { name: 'Create room' }).click()
    await page.getByText('Room 800 Board created.').waitFor()
    assert.isNotNull((await inOrg('conference_rooms').first()).pin)

    /* Trunk, then a route through it. */
    await pbxNav(page, 'Trunks')
    await page.getByRole('button', { name: 'New trunk' }).click()
    form = page.getByTestId('trunk-editor')
    await form.getByLabel('Trunk name').fill('Carrier')
    await form.getByLabel('Host').fill('sip.carrier.example')
    await form.getByLabel('Username').fill('acct1')
    await form.getByLabel('Password', { exact: true }).fill('s3cret-pass')
    await form.getByRole('button', { name: 'Create trunk' }).click()
    await page.getByText('Trunk Carrier created.').waitFor()
    const trunk = await inOrg('trunks').first()
    assert.equal(trunk.host, 'sip.carrier.example')

    await pbxNav(page, 'Outbound routes')
    await page.getByRole('button', { name: 'New outbound route' }).click()
    form = page.getByTestId('outbound-route-editor')
    await form.getByLabel('Route name').fill('International')
    await form.getByLabel('Dialled prefix').fill('+')
    await form
      .getByTestId('route-trunks')
      .getByLabel('Add trunk')
      .selectOption({ label: 'Carrier' })
    await form.getByTestId('route-trunks').getByRole('button', { name: 'Add', exact: true }).click()
    await form.getByRole('button', { name: 'Create route' }).click()
    await page.getByText('Route International created.').waitFor()
    const route = await inOrg('outbound_routes').first()
    const via = await db.from('outbound_route_trunks').where('outbound_route_id', route.id)
    assert.deepEqual(
      via.map((r) => r.trunk_id),
      [trunk.id],
    )
    await screenshot(page, 'admin-outbound-routes')

    /* Voicemail box of the reception extension. */
    await pbxNav(page, 'Voicemail')
    await page.getByRole('button', { name: 'Edit voicemail box of 201' }).click()
    form = page.getByTestId('voicemail-editor')
    await form.getByLabel('PIN', { exact: true }).fill('2468')
    await form.getByLabel('Keep messages (days)').fill('30')
    await form.getByRole('button', { name: 'Save voicemail box' }).click()
    await page.getByText('Voicemail box of 201 saved.').waitFor()
    const box = await db.from('voicemail_boxes').where('extension_id', reception.id).first()
    assert.equal(box.retention_days, 30)
    assert.isNotNull(box.pin_hash)
    await page.getByRole('button', { name: 'Edit voicemail box of 201' }).click()
    form = page.getByTestId('voicemail-editor')
    await form.getByLabel(/Greeting \(WAV/).setInputFiles({
      name: 'greeting.wav',
      mimeType: 'audio/wav',
      buffer: wavFile(2),
    })
    await form.getByRole('button', { name: 'Upload greeting' }).click()
    await page.getByText('Greeting of 201 uploaded.').waitFor()
    await page.getByRole('cell', { name: 'custom' }).waitFor()
    assert.isNotNull(
      (await db.from('voicemail_boxes').where('extension_id', reception.id).first()).greeting_key,
    )

    /* Extensions: edit, password rotation shown once, delete blocked while the IVR uses it. */
    await pbxNav(page, 'Extensions')
    await page.getByRole('button', { name: 'Edit extension 201' }).click()
    form = page.getByTestId('extension-editor')
    await form.getByLabel('Name', { exact: true }).fill('Front office')
    await form.getByRole('button', { name: 'Save extension' }).click()
    await page.getByText('Extension 201 saved.').waitFor()
    await reception.refresh()
    assert.equal(reception.name, 'Front office')
    await page.getByRole('button', { name: 'New password for 201' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate password' }).click()
    await page.getByRole('dialog', { name: 'SIP credentials for 201' }).waitFor()
    const rotated = await page.getByTestId('sip-password').innerText()
    await page.getByRole('button', { name: 'I have saved it' }).click()
    await reception.refresh()
    assert.equal(reception.sipPassword, rotated)
    await page.getByRole('button', { name: 'Delete extension 201' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click()
    await page
      .getByRole('alert')
      .filter({ hasText: /is still used by/ })
      .waitFor()
    await reception.refresh()
    assert.isNull(reception.deletedAt)
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

    /* Phone width: the ring group editor still fits and passes axe. */
    await page.setViewportSize({ width: 390, height: 844 })
    await pbxNav(page, 'Ring groups')
    await page.getByRole('button', { name: 'New ring group' }).click()
    await page.getByTestId('ring-group-editor').waitFor()
    await screenshot(page, 'admin-ring-groups-phone')
    const scrolls = await page.evaluate(() => {
      const root = (globalThis as any).document.documentElement
      return root.scrollWidth > root.clientWidth
    })
    assert.isFalse(scrolls, 'the page does not scroll sideways at phone width')
    const narrow = await seriousViolations(page)
    if (narrow.length > 0) failures['Ring groups (phone)'] = narrow
    assert.deepEqual(failures, {}, JSON.stringify(failures, null, 1))
  })
})
