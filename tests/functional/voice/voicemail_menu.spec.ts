import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import type Organization from '#models/organization'
import VoicemailMessage from '#models/voicemail_message'
import { createTenant, isolate } from '#tests/helpers'
import { makeExtension, makeVoicemail } from '#tests/functional/extensions/support'
import { actionOf, voice, verbs, type VoiceAnswer } from '#tests/functional/voice/support'
import { makeBox } from '#tests/functional/voicemail/support'
import type { XmlElement } from '../../../voip-edge/src/routing/cxml.js'

/* What a phone of the tenant sends when its user dials *97 (call-control fields as the edge). */
function fromPhone(
  organization: Organization,
  number: string,
  extra: Record<string, unknown> = {},
) {
  return {
    From: number,
    To: '*97',
    Direction: 'subscriber',
    Domain: organization.sipDomain,
    CallSid: 'c'.repeat(32),
    ...extra,
  }
}

function gatherOf(answer: VoiceAnswer) {
  const gather = answer.root.children.find((c) => c.name === 'Gather')
  if (!gather) throw new Error(`no Gather in ${verbs(answer.root).join(',')}`)
  return gather
}

const says = (element: XmlElement) =>
  element.children.filter((c) => c.name === 'Say').map((c) => c.text)

async function mailbox(pin = '4321') {
  const { organization } = await createTenant()
  const extension = await makeExtension(organization, { voicemailEnabled: true, number: '601' })
  await makeBox(extension, { pinHash: await hash.make(pin) })
  return { organization, extension }
}

test.group('Voicemail by phone (*97)', (group) => {
  isolate(group)

  test('*97 asks for the PIN; three wrong PINs hang up', async ({ assert }) => {
    const { organization, extension } = await mailbox()
    const first = await voice('/api/voice/route', fromPhone(organization, '601'))
    let gather = gatherOf(first)
    assert.equal(gather.attributes.finishOnKey, '#')
    assert.deepEqual(actionOf(gather), {
      path: '/api/voice/voicemail-menu',
      params: { extension: String(extension.id), step: 'pin', attempt: '0' },
    })
    assert.match(says(gather).join(' '), /enter your voicemail PIN/)

    for (const attempt of [1, 2]) {
      const wrong = await voice(
        gather.attributes.action,
        fromPhone(organization, '601', { Digits: '0000' }),
      )
      gather = gatherOf(wrong)
      assert.equal(actionOf(gather).params.attempt, String(attempt))
      assert.match(says(gather)[0], /not valid/)
    }
    const last = await voice(
      gather.attributes.action,
      fromPhone(organization, '601', { Digits: '1111' }),
    )
    assert.deepEqual(verbs(last.root), ['Say', 'Hangup'])
    assert.match(last.root.children[0].text, /Too many failed attempts/)
  })

  test('the right PIN announces counts and plays messages newest first, marking them read', async ({
    assert,
  }) => {
    const { organization, extension } = await mailbox()
    organization.timezone = 'Australia/Sydney'
    await organization.save()
    const now = DateTime.now()
    const older = await makeVoicemail(extension, {
      receivedAt: now.minus({ hours: 2 }),
      readAt: now.minus({ hours: 1 }),
      callerName: 'Olga',
    })
    const newer = await makeVoicemail(extension, {
      receivedAt: now.minus({ minutes: 5 }),
      callerName: 'Nina',
    })
    const pin = await voice(
      `/api/voice/voicemail-menu?extension=${extension.id}&step=pin&attempt=0`,
      fromPhone(organization, '601', { Digits: '4321' }),
    )
    assert.equal(pin.root.children[0].name, 'Say')
    assert.equal(pin.root.children[0].text, 'You have 1 new message and 1 saved message.')
    const gather = gatherOf(pin)
    assert.equal(gather.attributes.numDigits, '1')
    assert.equal(actionOf(gather).params.message, String(newer.id))
    assert.equal(actionOf(gather).params.step, 'option')
    assert.match(says(gather)[0], /Message from Nina/)
    // Spoken in the organization's time zone.
    const spoken = newer.receivedAt
      .setZone(organization.timezone)
      .toFormat("cccc, LLLL d 'at' h:mm a")
    assert.include(says(gather)[0], `received ${spoken}`)
    const play = gather.children.find((c) => c.name === 'Play')!
    assert.include(play.text, `${env.get('APP_URL')}/files/`)
    assert.match(says(gather)[1], /press 7.*press 9.*pound.*star/)
    await newer.refresh()
    assert.isNotNull(newer.readAt, 'played means read')

    // 9 saves and moves on to the older message; # after it ends the list.
    const saved = await voice(
      gather.attributes.action,
      fromPhone(organization, '601', { Digits: '9' }),
    )
    assert.equal(saved.root.children[0].text, 'Message saved.')
    const next = gatherOf(saved)
    assert.equal(actionOf(next).params.message, String(older.id))
    const end = await voice(next.attributes.action, fromPhone(organization, '601', { Digits: '#' }))
    assert.deepEqual(verbs(end.root), ['Say', 'Hangup'])
    assert.match(end.root.children[0].text, /no more messages/)
  })

  test('7 deletes the message, * exits, and later steps need the session of the PIN', async ({
    assert,
  }) => {
    const { organization, extension } = await mailbox()
    const only = await makeVoicemail(extension, { callerNumber: '+15550100', callerName: null })
    const pin = await voice(
      `/api/voice/voicemail-menu?extension=${extension.id}&step=pin&attempt=0`,
      fromPhone(organization, '601', { Digits: '4321' }),
    )
    const gather = gatherOf(pin)
    assert.match(says(gather)[0], /Message from \+ 1 5 5 5 0 1 0 0/)
    const action = gather.attributes.action

    // Same URL from another call (another CallSid), or with a forged session: refused.
    const otherCall = await voice(
      action,
      fromPhone(organization, '601', { Digits: '7', CallSid: 'd'.repeat(32) }),
    )
    assert.deepEqual(verbs(otherCall.root), ['Say', 'Hangup'])
    const forged = await voice(
      `/api/voice/voicemail-menu?extension=${extension.id}&step=option&message=${only.id}&s=${'x'.repeat(32)}`,
      fromPhone(organization, '601', { Digits: '7' }),
    )
    assert.deepEqual(verbs(forged.root), ['Say', 'Hangup'])
    const untouched = await db.from('voicemail_messages').where('id', only.id).first()
    assert.isNull(untouched.deleted_at)

    const deleted = await voice(action, fromPhone(organization, '601', { Digits: '7' }))
    assert.equal(deleted.root.children[0].text, 'Message deleted.')
    assert.match(deleted.root.children[1].text, /no more messages/)
    const row = await VoicemailMessage.query()
      .withScopes((s) => s.forOrganization(organization))
      .where('id', only.id)
      .firstOrFail()
    assert.isNotNull(row.deletedAt)
    const audit = await db
      .from('audit_logs')
      .where('organization_id', organization.id)
      .where('action', 'voicemail_message.deleted')
      .first()
    assert.equal(audit.user_agent, 'phone *97')

    const second = await makeVoicemail(extension)
    const again = gatherOf(
      await voice(
        `/api/voice/voicemail-menu?extension=${extension.id}&step=pin&attempt=0`,
        fromPhone(organization, '601', { Digits: '4321' }),
      ),
    )
    assert.equal(actionOf(again).params.message, String(second.id))
    const exit = await voice(
      again.attributes.action,
      fromPhone(organization, '601', { Digits: '*' }),
    )
    assert.deepEqual(verbs(exit.root), ['Say', 'Hangup'])
    assert.equal(exit.root.children[0].text, 'Goodbye.')
  })

  test('wrong PINs add up across calls: past 10 in an hour even the right PIN is refused', async ({
    assert,
  }) => {
    const { organization, extension } = await mailbox()
    await makeVoicemail(extension)
    const pinStep = (digits: string, sid: string) =>
      voice(
        `/api/voice/voicemail-menu?extension=${extension.id}&step=pin&attempt=0`,
        fromPhone(organization, '601', { Digits: digits, CallSid: sid.repeat(32) }),
      )
    for (let i = 0; i < 10; i++) {
      const wrong = await pinStep('0000', String(i % 10))
      assert.match(says(gatherOf(wrong))[0], /not valid/)
    }
    const locked = await pinStep('4321', 'e')
    assert.deepEqual(verbs(locked.root), ['Say', 'Hangup'])
    assert.match(locked.root.children[0].text, /locked/)
    assert.notInclude(locked.xml, '/files/')
  })

  test('no box PIN, no voicemail, or another tenant’s mailbox: nothing is played', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const noPin = await makeExtension(organization, { voicemailEnabled: true, number: '602' })
    await makeBox(noPin, { pinHash: null })
    const answer = await voice('/api/voice/route', fromPhone(organization, '602'))
    assert.deepEqual(verbs(answer.root), ['Say', 'Hangup'])
    assert.match(answer.root.children[0].text, /no PIN yet/)
    await makeExtension(organization, { voicemailEnabled: false, number: '603' })
    const disabled = await voice('/api/voice/route', fromPhone(organization, '603'))
    assert.match(disabled.root.children[0].text, /no voicemail box/)

    // Tenant B's phone aims its PIN step at tenant A's extension id: not found in B.
    const a = await mailbox()
    await makeVoicemail(a.extension)
    const b = await createTenant()
    await makeExtension(b.organization, { voicemailEnabled: true, number: '601' })
    const foreign = await voice(
      `/api/voice/voicemail-menu?extension=${a.extension.id}&step=pin&attempt=0`,
      fromPhone(b.organization, '601', { Digits: '4321' }),
    )
    assert.deepEqual(verbs(foreign.root), ['Say', 'Hangup'])
    assert.notInclude(foreign.xml, '/files/')
  })
})
