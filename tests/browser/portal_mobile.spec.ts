import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import type { Page } from 'playwright-core'
import VoicemailMessage from '#models/voicemail_message'
import storage, { tenantKey } from '#services/storage/storage'
import { createTenant, isolate } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { wavFile } from '#tests/functional/recordings/helpers'
import { insertCallLogs } from '#tests/functional/call_logs/fixtures'
import { baseUrl, screenshot, useChromium } from '#tests/browser/chromium'
import { seriousViolations } from '#tests/browser/axe'
import { signIn } from '#tests/browser/sign_in'

/* Nothing wider than the viewport: no sideways scrolling on a phone. */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const root = (globalThis as any).document.documentElement
    return root.scrollWidth - root.clientWidth
  })
}

test.group('Portal on a phone-sized screen (390 px)', (group) => {
  isolate(group)
  const chromium = useChromium(group, { width: 390, height: 844 })

  test('a PBX user forwards calls, sets follow-me and plays a voicemail', async ({ assert }) => {
    const { user, organization } = await createTenant()
    const extension = await makeExtension(organization, {
      number: '301',
      userId: user.id,
      voicemailEnabled: true,
    })
    const audioKey = tenantKey(organization.id, 'voicemail', 'wav')
    await storage.put(audioKey, wavFile(1.5))
    await VoicemailMessage.create({
      organizationId: organization.id,
      extensionId: extension.id,
      callerNumber: '+15550199',
      callerName: 'Dana',
      durationSeconds: 2,
      audioKey,
      audioMime: 'audio/wav',
      receivedAt: DateTime.now(),
      readAt: null,
    })
    await insertCallLogs(organization.id, 2, { extension_id: extension.id })

    const page = chromium.page
    await signIn(page, user.email)
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'My phone' })
      .click()
    await page.getByRole('heading', { name: /My phone: 301/ }).waitFor()

    await page.getByRole('checkbox', { name: 'When busy' }).check()
    await page.getByLabel('When busy: forward to').fill('+442079460001')
    await page.getByRole('button', { name: 'Save forwarding' }).click()
    await page.getByText('Call forwarding saved.').waitFor()

    await page.getByRole('checkbox', { name: 'Follow me is on' }).check()
    await page.getByRole('button', { name: 'Add a number' }).click()
    await page.getByRole('textbox', { name: 'Number 1' }).fill('+447700900555')
    await page.getByRole('button', { name: 'Save follow-me' }).click()
    await page.getByText('Follow-me saved.').waitFor()
    await extension.refresh()
    assert.equal(extension.forwarding.busy.destination, '+442079460001')
    assert.deepEqual(extension.followMe.numbers, [{ number: '+447700900555', ringSeconds: 20 }])

    // The browser fetches, decodes and plays the message.
    const played = await page
      .getByLabel('Voicemail from +15550199')
      .evaluate(async (element: any) => {
        element.muted = true
        await element.play()
        await new Promise((resolve) => setTimeout(resolve, 300))
        return { duration: element.duration, time: element.currentTime, error: element.error }
      })
    assert.isNull(played.error)
    assert.approximately(played.duration, 1.5, 0.05)
    assert.isAbove(played.time, 0)

    await screenshot(page, 'portal-phone-390')
    const wide = await page.evaluate(() => {
      const doc = (globalThis as any).document
      return [...doc.querySelectorAll('body *')]
        .filter((e: any) => e.getBoundingClientRect().right > doc.documentElement.clientWidth + 1)
        .slice(0, 8)
        .map(
          (e: any) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`,
        )
    })
    assert.isAtMost(await overflow(page), 0, wide.join(' | '))
    assert.deepEqual(await seriousViolations(page), [])

    await page.getByRole('link', { name: 'My call history' }).click()
    await page.getByTestId('calls-table').waitFor()
    assert.isAtMost(await overflow(page), 0)
    await screenshot(page, 'portal-call-history-390')
  })

  test('a reporter sees history and charts read-only, without live control', async ({ assert }) => {
    const { reporter, organization } = await createTenant()
    await insertCallLogs(organization.id, 3, { initiated_at: new Date(), ended_at: new Date() })
    const page = chromium.page
    await signIn(page, reporter.email)
    const nav = page.getByRole('navigation', { name: 'Main' })
    assert.equal(await nav.getByRole('link', { name: 'Live calls' }).count(), 0)
    await page.getByRole('figure', { name: 'Calls per hour today' }).waitFor()
    await screenshot(page, 'reporter-dashboard-390')
    await nav.getByRole('link', { name: 'Calls', exact: true }).click()
    await page.getByTestId('calls-table').waitFor()
    assert.equal(await page.getByRole('button', { name: /Hang up/ }).count(), 0)
    const live = await page.goto(`${baseUrl()}/calls/live`)
    assert.equal(live?.status(), 403)
  })
})
