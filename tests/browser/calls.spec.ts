import { test } from '@japa/runner'
import { createTenant, isolate } from '#tests/helpers'
import { insertCallLogs, insertCdrs } from '#tests/functional/call_logs/fixtures'
import { useFakeEdge } from '#tests/functional/calls/fake_edge'
import { makeExtension } from '#tests/functional/extensions/support'
import {
  SESSION_UPDATE,
  post,
  sessionUpdate,
  webhookTenant,
} from '#tests/functional/webhooks/support'
import { baseUrl, screenshot, useChromium } from '#tests/browser/chromium'
import { seriousViolations } from '#tests/browser/axe'
import { signIn } from '#tests/browser/sign_in'

test.group('Calls in Chromium', (group) => {
  isolate(group)
  const chromium = useChromium(group, { width: 1280, height: 900 })
  const fake = useFakeEdge(group)

  test('a call posted as signed webhooks appears live, then the admin hangs it up', async ({
    assert,
  }) => {
    const t = await webhookTenant()
    const page = chromium.page
    await signIn(page, t.admin.email)
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Live calls' })
      .click()
    await page.getByText('Live updates on').waitFor({ timeout: 30_000 })
    await page.getByTestId('live-empty').waitFor()

    const token = 'browser-live-call'
    const startedAt = Date.now() - 70_000
    const ring = await post(
      SESSION_UPDATE,
      sessionUpdate(t.domain, token, {
        status: 'ringing',
        callerId: '+14155550177',
        callStartTime: startedAt,
      }),
      { bearer: t.secrets[0] },
    )
    assert.oneOf(ring.status, [200, 202])
    const row = page.locator(`tr[data-call-id="${token}"]`)
    await row.getByText('Ringing', { exact: true }).waitFor({ timeout: 30_000 })
    assert.include(await row.innerText(), '+14155550177')

    await post(
      SESSION_UPDATE,
      sessionUpdate(t.domain, token, {
        status: 'connected',
        callerId: '+14155550177',
        callStartTime: startedAt,
        callAnswerTime: Date.now() - 65_000,
      }),
      { bearer: t.secrets[0] },
    )
    await row.getByText('In progress', { exact: true }).waitFor({ timeout: 30_000 })
    // The duration ticks in the browser.
    const first = await row.getByLabel('talking for').innerText()
    await page.waitForFunction(
      ([id, before]) =>
        (globalThis as any).document.querySelector(
          `tr[data-call-id="${id}"] [aria-label="talking for"]`,
        )?.textContent !== before,
      [token, first] as const,
      { timeout: 10_000 },
    )
    await screenshot(page, 'live-calls')
    assert.deepEqual(await seriousViolations(page), [])

    fake.edge.live.add(token)
    page.once('dialog', (dialog) => dialog.accept())
    await row.getByRole('button', { name: 'Hang up the call from +14155550177' }).click()
    await page.getByText('Hang-up sent for the call from +14155550177.').waitFor()
    assert.deepEqual(
      fake.edge.requests.map((r) => [r.method, r.path, r.signed]),
      [['POST', `/v1/calls/${token}/hangup`, true]],
    )
    // The edge reports the end of the call; the row leaves the live list.
    await post(
      SESSION_UPDATE,
      sessionUpdate(t.domain, token, {
        status: 'connected',
        callerId: '+14155550177',
        callStartTime: startedAt,
        callAnswerTime: Date.now() - 65_000,
        callEndTime: Date.now(),
      }),
      { bearer: t.secrets[0] },
    )
    await page.getByTestId('live-empty').waitFor({ timeout: 30_000 })

    // The finished call's details show the session updates that built it.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Calls', exact: true })
      .click()
    await page.getByRole('link', { name: /Details of the call from \+14155550177/ }).click()
    const timeline = page.getByTestId('call-timeline')
    await timeline.waitFor()
    const text = await timeline.innerText()
    assert.include(text, 'Session update: ringing')
    assert.include(text, 'ringing → answered')
    await screenshot(page, 'call-details-timeline')
  })

  test('an admin transfers a live call to an extension; a bad target is shown on the field', async ({
    assert,
  }) => {
    const t = await webhookTenant()
    await makeExtension(t.organization, { number: '2001' })
    await post(
      SESSION_UPDATE,
      sessionUpdate(t.domain, 'transfer-me', {
        status: 'connected',
        callerId: '+14155550188',
        callStartTime: Date.now() - 30_000,
        callAnswerTime: Date.now() - 20_000,
      }),
      { bearer: t.secrets[0] },
    )
    fake.edge.live.add('transfer-me')
    const page = chromium.page
    await signIn(page, t.admin.email)
    await page.goto(`${baseUrl()}/calls/live`)
    const row = page.locator('tr[data-call-id="transfer-me"]')
    await row.getByRole('button', { name: 'Transfer the call from +14155550188' }).click()
    const target = row.getByLabel('Transfer to')
    // Focus goes straight to the target field.
    assert.isTrue(await target.evaluate((el) => el === (globalThis as any).document.activeElement))
    await target.fill('12 34')
    await row.getByRole('button', { name: 'Transfer', exact: true }).click()
    await row.locator('.field-error').waitFor()
    await screenshot(page, 'live-calls-transfer-error')
    await target.fill('2001')
    await row.getByRole('button', { name: 'Transfer', exact: true }).click()
    await page.getByText('Call from +14155550188 transferred to 2001.').waitFor()
    assert.deepEqual(
      fake.edge.requests.map((r) => [r.path, JSON.parse(r.body || '{}').target]),
      [['/v1/calls/transfer-me/transfer', '2001']],
    )
  })

  test('the dashboard counts a new call as active as soon as the webhook arrives', async ({
    assert,
  }) => {
    const t = await webhookTenant()
    const page = chromium.page
    await signIn(page, t.owner.email)
    const active = page.getByTestId('calls-active')
    await active.getByText('0', { exact: true }).waitFor()
    // Posted once the page's event stream is subscribed (it says so on the tiles).
    await page.locator('section[data-live="on"]').waitFor({ timeout: 30_000 })
    await post(
      SESSION_UPDATE,
      sessionUpdate(t.domain, 'dashboard-call', { status: 'ringing', callStartTime: Date.now() }),
      { bearer: t.secrets[0] },
    )
    await active.getByText('1', { exact: true }).waitFor({ timeout: 30_000 })
    assert.include(await page.getByTestId('calls-today').innerText(), '1')
  })

  test('call history: filter, open a call, see its timeline; pages pass axe', async ({
    assert,
  }) => {
    const { organization, owner } = await createTenant()
    await insertCallLogs(organization.id, 30, { answered_at: new Date('2026-03-01T10:00:03Z') })
    const [special] = await insertCallLogs(organization.id, 1, {
      call_id: 'history-call',
      from_number: '+442071234567',
      status: 'busy',
      direction: 'outbound',
      initiated_at: new Date('2026-03-02T09:00:00Z'),
      ended_at: new Date('2026-03-02T09:00:09Z'),
    })
    await insertCdrs(organization.id, 1, { call_id: 'history-call', disposition: 'BUSY' })
    await insertCallLogs(organization.id, 4, {
      status: 'no_answer',
      initiated_at: new Date(),
      ended_at: new Date(),
    })
    const page = chromium.page
    await signIn(page, owner.email)
    await screenshot(page, 'dashboard-charts')
    assert.deepEqual(await seriousViolations(page), [])

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Calls', exact: true })
      .click()
    await page.getByTestId('calls-table').waitFor()
    assert.include(
      await page.getByRole('navigation', { name: 'Pagination' }).innerText(),
      '35 in total',
    )
    await screenshot(page, 'call-history')
    assert.deepEqual(await seriousViolations(page), [])

    await page.getByLabel('Number contains').fill('4420712')
    await page.getByRole('button', { name: 'Apply filters' }).click()
    await page.waitForURL(/number=4420712/)
    const rows = page.getByTestId('calls-table').locator('tbody tr')
    await page.waitForFunction(
      () =>
        (globalThis as any).document.querySelectorAll('[data-testid="calls-table"] tbody tr')
          .length === 1,
    )
    assert.include(await rows.first().innerText(), '+442071234567')
    const csvHref = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href')
    assert.equal(csvHref, '/calls/export.csv?number=4420712')

    await rows
      .first()
      .getByRole('link', { name: /Details/ })
      .click()
    await page.waitForURL(new RegExp(`/calls/${special}$`))
    const timeline = await page.getByTestId('call-timeline').innerText()
    assert.include(timeline, 'Call started')
    assert.include(timeline, 'CDR received: BUSY')
    await screenshot(page, 'call-details')
    assert.deepEqual(await seriousViolations(page), [])
  })
})
