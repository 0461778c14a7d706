import { test } from '@japa/runner'
import { DateTime, Settings } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import ConferenceRoom from '#models/conference_room'
import type Organization from '#models/organization'
import { createTenant, isolate } from '#tests/helpers'
import { makeSchedule } from '#tests/functional/business_hours/support'
import { actionOf, follow, makeDid, makeExtension, only, verbs, voice } from './support.js'

async function makeMenu(organization: Organization, values: Record<string, unknown> = {}) {
  const [row] = await db
    .table('ivr_menus')
    .insert({
      organization_id: organization.id,
      name: 'Main',
      prompt_tts_text: 'Press 1 for sales',
      prompt_tts_voice: 'Cloudonix-Neural:Zoe',
      invalid_prompt_tts_text: 'Wrong key',
      max_retries: 1,
      created_at: new Date(),
      updated_at: new Date(),
      ...values,
    })
    .returning('id')
  return row.id as number
}

async function option(
  organization: Organization,
  menuId: number,
  digit: string,
  target: { type: string; id: number | null },
) {
  await db.table('ivr_menu_options').insert({
    organization_id: organization.id,
    ivr_menu_id: menuId,
    digit,
    target_type: target.type,
    target_id: target.id,
    position: digit.charCodeAt(0),
    created_at: new Date(),
    updated_at: new Date(),
  })
}

test.group('Voice routing: IVR menus, business hours, conference rooms', (group) => {
  isolate(group)
  group.each.teardown(() => {
    Settings.now = () => Date.now()
  })

  test('an IVR menu is one Gather that calls back on silence too', async ({ assert }) => {
    const { organization } = await createTenant()
    const menuId = await makeMenu(organization, { first_digit_timeout: 7, inter_digit_timeout: 2 })
    const to = await makeDid(organization, 'ivr_menu', menuId)
    const answer = await voice('/api/voice/route', { To: to })
    const gather = only(answer.root, 'Gather')
    assert.deepInclude(gather.attributes, {
      numDigits: '1',
      actionOnEmptyResult: 'true',
      finishOnKey: '',
      maxTimeout: '7',
      timeout: '2',
    })
    assert.deepEqual(actionOf(gather), {
      path: '/api/voice/ivr-input',
      params: { menu: String(menuId), attempt: '0' },
    })
    const say = only(gather, 'Say')
    assert.equal(say.text, 'Press 1 for sales')
    assert.equal(say.attributes.voice, 'Cloudonix-Neural:Zoe')
  })

  test('a key with an option goes to its target; "0" is a key, not silence', async ({ assert }) => {
    const { organization } = await createTenant()
    const sales = await makeExtension(organization, { number: '701' })
    const operator = await makeExtension(organization, { number: '700' })
    const menuId = await makeMenu(organization)
    await option(organization, menuId, '1', { type: 'extension', id: sales.id })
    await option(organization, menuId, '0', { type: 'extension', id: operator.id })
    const to = await makeDid(organization, 'ivr_menu', menuId)
    const gather = only((await voice('/api/voice/route', { To: to })).root, 'Gather')
    const one = await follow(gather, { To: to, Digits: '1' })
    assert.equal(only(one.root, 'Dial').children[0].text, `sip:701@${organization.sipDomain}`)
    const zero = await follow(gather, { To: to, Digits: '0' })
    assert.equal(only(zero.root, 'Dial').children[0].text, `sip:700@${organization.sipDomain}`)
  })

  test('invalid keys and silence replay the menu with their prompt, then the failover', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const failover = await makeExtension(organization, { number: '709' })
    const menuId = await makeMenu(organization, {
      max_retries: 1,
      failover_type: 'extension',
      failover_id: failover.id,
    })
    const to = await makeDid(organization, 'ivr_menu', menuId)
    const first = only((await voice('/api/voice/route', { To: to })).root, 'Gather')

    const invalid = only((await follow(first, { To: to, Digits: '5' })).root, 'Gather')
    assert.deepEqual(
      invalid.children.map((c) => c.text),
      ['Wrong key', 'Press 1 for sales'],
    )
    assert.equal(actionOf(invalid).params.attempt, '1')

    const timeout = only((await follow(first, { To: to })).root, 'Gather')
    assert.deepEqual(
      timeout.children.map((c) => c.text),
      ['Sorry, we did not receive your choice.', 'Press 1 for sales'],
    )

    const exhausted = await follow(invalid, { To: to, Digits: '' })
    assert.equal(only(exhausted.root, 'Dial').children[0].text, `sip:709@${organization.sipDomain}`)
  })

  test('business hours route to the open or closed target at the call instant, holidays too', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const open = await makeExtension(organization, { number: '801' })
    const closed = await makeExtension(organization, { number: '802' })
    const schedule = await makeSchedule(organization, {
      timezone: 'America/New_York',
      openTargetType: 'extension',
      openTargetId: open.id,
      closedTargetType: 'extension',
      closedTargetId: closed.id,
    })
    const to = await makeDid(organization, 'business_hours', schedule.id)
    const at = async (iso: string) => {
      const instant = DateTime.fromISO(iso).toMillis()
      Settings.now = () => instant
      const dial = only((await voice('/api/voice/route', { To: to })).root, 'Dial')
      return dial.children[0].text.replace(/^sip:(\d+)@.*$/, '$1')
    }
    // Tuesday 10:00 in New York is 15:00 UTC: open. 08:00 New York (13:00 UTC): closed.
    assert.equal(await at('2026-12-22T15:00:00Z'), '801')
    assert.equal(await at('2026-12-22T13:00:00Z'), '802')
    // Friday 25 December 2026, 10:00 in New York: a closed holiday.
    assert.equal(await at('2026-12-25T15:00:00Z'), '802')
  })

  test('a conference joins the tenant-namespaced room with its limits', async ({ assert }) => {
    const { organization } = await createTenant()
    const room = await ConferenceRoom.create({
      organizationId: organization.id,
      number: '900',
      name: 'Standup',
      maxParticipants: 12,
      muteOnEntry: true,
      announceJoinLeave: true,
    })
    const to = await makeDid(organization, 'conference_room', room.id)
    const dial = only((await voice('/api/voice/route', { To: to })).root, 'Dial')
    const conference = only(dial, 'Conference')
    assert.equal(conference.text, `org${organization.id}-room${room.id}`)
    assert.deepInclude(conference.attributes, {
      maxParticipants: '12',
      muted: 'true',
      beep: 'true',
      startConferenceOnEnter: 'true',
    })
  })

  test('a PIN room gathers the PIN; right PIN joins, host PIN starts, wrong PINs end', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const room = await ConferenceRoom.create({
      organizationId: organization.id,
      number: '901',
      name: 'Board',
      pin: '4321',
      hostPin: '9999',
      waitForHost: true,
      muteOnEntry: true,
    })
    const to = await makeDid(organization, 'conference_room', room.id)
    const gather = only((await voice('/api/voice/route', { To: to })).root, 'Gather')
    assert.deepEqual(actionOf(gather), {
      path: '/api/voice/conference-pin',
      params: { room: String(room.id), attempt: '0' },
    })
    assert.notInclude(JSON.stringify(gather), '4321')

    const guest = only(
      only((await follow(gather, { To: to, Digits: '4321' })).root, 'Dial'),
      'Conference',
    )
    assert.deepInclude(guest.attributes, { startConferenceOnEnter: 'false', muted: 'true' })
    const host = only(
      only((await follow(gather, { To: to, Digits: '9999' })).root, 'Dial'),
      'Conference',
    )
    assert.deepInclude(host.attributes, {
      startConferenceOnEnter: 'true',
      endConferenceOnExit: 'true',
      muted: 'false',
    })

    let prompt = gather
    for (let attempt = 1; attempt < 3; attempt++) {
      prompt = only((await follow(prompt, { To: to, Digits: '1111' })).root, 'Gather')
      assert.equal(actionOf(prompt).params.attempt, String(attempt))
    }
    const refused = await follow(prompt, { To: to, Digits: '1111' })
    assert.deepEqual(verbs(refused.root), ['Say', 'Hangup'])
  })
})
