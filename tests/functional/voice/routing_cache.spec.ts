import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import VoicemailBox from '#models/voicemail_box'
import type Organization from '#models/organization'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeSchedule } from '#tests/functional/business_hours/support'
import {
  webhookTenant,
  post,
  sessionUpdate,
  SESSION_UPDATE,
} from '#tests/functional/webhooks/support'
import { makeDid, makeExtension, makeRingGroup, only, verbs, voice } from './support.js'

/*
 * The routing cache (app/services/voice/routing_cache.ts): a decision is served from Redis,
 * and every change made through the API (or a model save) is seen by the very next call.
 */

const rung = (answer: { root: Parameters<typeof only>[0] }) =>
  only(answer.root, 'Dial').children.map((c) => c.text.replace(/^sip:(\w+)@.*$/, '$1'))

const route = (to: string) => voice('/api/voice/route', { To: to })

async function routingKeys() {
  return (await redis.keys('routing:*')).filter((key) => !key.startsWith('routing:gen:'))
}

/* A tenant and its owner's API token. */
async function tenantWithToken(): Promise<{ organization: Organization; token: string }> {
  const { organization, owner } = await createTenant()
  return { organization, token: await tokenFor(owner) }
}

test.group('Routing cache', (suite) => {
  isolate(suite)

  test('a decision is cached: a write that bypasses the models is not seen, an API write is', async ({
    assert,
    client,
  }) => {
    const { organization, token } = await tenantWithToken()
    const [a, b] = [
      await makeExtension(organization, { number: '651' }),
      await makeExtension(organization, { number: '652' }),
    ]
    const group = await makeRingGroup(organization, [a])
    const to = await makeDid(organization, 'ring_group', group.id)
    assert.deepEqual(rung(await route(to)), ['651'])
    assert.isAbove((await routingKeys()).length, 0)

    // Proof that the second decision comes from the cache and not from the database.
    await db.from('ring_group_members').where('ring_group_id', group.id).delete()
    assert.deepEqual(rung(await route(to)), ['651'])

    const response = await client
      .patch(`/api/v1/ring-groups/${group.id}`)
      .bearerToken(token)
      .json({ members: [{ extensionId: b.id, priority: 1 }] })
    response.assertStatus(200)
    assert.deepEqual(rung(await route(to)), ['652'])
  })

  test('a ring group strategy and members changed through the API are seen by the very next call', async ({
    assert,
    client,
  }) => {
    const { organization, token } = await tenantWithToken()
    const [a, b, c] = [
      await makeExtension(organization, { number: '661' }),
      await makeExtension(organization, { number: '662' }),
      await makeExtension(organization, { number: '663' }),
    ]
    const group = await makeRingGroup(organization, [a, b])
    const to = await makeDid(organization, 'ring_group', group.id)
    assert.deepEqual(rung(await route(to)), ['661', '662'])
    assert.deepEqual(rung(await route(to)), ['661', '662'])

    const changed = await client
      .patch(`/api/v1/ring-groups/${group.id}`)
      .bearerToken(token)
      .json({
        strategy: 'sequential',
        members: [
          { extensionId: c.id, priority: 1 },
          { extensionId: a.id, priority: 2 },
        ],
      })
    changed.assertStatus(200)
    assert.deepEqual(rung(await route(to)), ['663'])

    const inactive = await client
      .patch(`/api/v1/ring-groups/${group.id}`)
      .bearerToken(token)
      .json({ status: 'inactive' })
    inactive.assertStatus(200)
    assert.deepEqual(verbs((await route(to)).root), ['Say', 'Hangup'])
  })

  test('round robin keeps rotating on cached decisions (live state is never cached)', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const members = [
      await makeExtension(organization, { number: '671' }),
      await makeExtension(organization, { number: '672' }),
      await makeExtension(organization, { number: '673' }),
    ]
    const group = await makeRingGroup(organization, members, { strategy: 'round_robin' })
    const to = await makeDid(organization, 'ring_group', group.id)
    const firsts = []
    for (let i = 0; i < 4; i++) firsts.push(rung(await route(to))[0])
    assert.deepEqual(firsts, ['671', '672', '673', '671'])
  })

  test('phone numbers: a new routing and a deactivation are seen at once', async ({
    assert,
    client,
  }) => {
    const { organization, token } = await tenantWithToken()
    const [a, b] = [
      await makeExtension(organization, { number: '681' }),
      await makeExtension(organization, { number: '682' }),
    ]
    const to = await makeDid(organization, 'extension', a.id)
    assert.deepEqual(rung(await route(to)), ['681'])
    const { id } = await db.from('phone_numbers').where('number', to).firstOrFail()
    ;(
      await client
        .patch(`/api/v1/phone-numbers/${id}`)
        .bearerToken(token)
        .json({ routing: { type: 'extension', id: b.id } })
    ).assertStatus(200)
    assert.deepEqual(rung(await route(to)), ['682'])
    ;(
      await client
        .patch(`/api/v1/phone-numbers/${id}`)
        .bearerToken(token)
        .json({ status: 'inactive' })
    ).assertStatus(200)
    // With the tenant named, an inactive number is an apology (without, the sender gets 404).
    const named = await voice('/api/voice/route', { To: to, Domain: organization.sipDomain })
    assert.match(only(named.root, 'Say').text, /not in service/)
  })

  test('extensions: a status change through the API is seen at once', async ({
    assert,
    client,
  }) => {
    const { organization, token } = await tenantWithToken()
    const a = await makeExtension(organization, { number: '691' })
    const to = await makeDid(organization, 'extension', a.id)
    assert.deepEqual(rung(await route(to)), ['691'])
    ;(
      await client
        .patch(`/api/v1/extensions/${a.id}`)
        .bearerToken(token)
        .json({ status: 'inactive' })
    ).assertStatus(200)
    assert.deepEqual(verbs((await route(to)).root), ['Say', 'Hangup'])
  })

  test('IVR menus: replaced options are seen by the next key press', async ({ assert, client }) => {
    const { organization, token } = await tenantWithToken()
    const [a, b] = [
      await makeExtension(organization, { number: '711' }),
      await makeExtension(organization, { number: '712' }),
    ]
    const created = await client
      .post('/api/v1/ivr-menus')
      .bearerToken(token)
      .json({
        name: 'Cache menu',
        prompt: { ttsText: 'Press 1' },
        options: [{ digit: '1', target: { type: 'extension', id: a.id } }],
      })
    created.assertStatus(201)
    const menuId = created.body().data.id
    const to = await makeDid(organization, 'ivr_menu', menuId)
    const press = () =>
      voice(`/api/voice/ivr-input?menu=${menuId}&attempt=0`, { To: to, Digits: '1' })
    assert.deepEqual(rung(await press()), ['711'])
    ;(
      await client
        .patch(`/api/v1/ivr-menus/${menuId}`)
        .bearerToken(token)
        .json({ options: [{ digit: '1', target: { type: 'extension', id: b.id } }] })
    ).assertStatus(200)
    assert.deepEqual(rung(await press()), ['712'])
  })

  test('business hours: replaced weekly ranges are seen at once', async ({ assert, client }) => {
    const { organization, token } = await tenantWithToken()
    const [open, closed] = [
      await makeExtension(organization, { number: '721' }),
      await makeExtension(organization, { number: '722' }),
    ]
    const schedule = await makeSchedule(organization, {
      openTargetType: 'extension',
      openTargetId: open.id,
      closedTargetType: 'extension',
      closedTargetId: closed.id,
    })
    const allWeek = [0, 1, 2, 3, 4, 5, 6].map((dayOfWeek) => ({
      dayOfWeek,
      start: '00:00',
      end: '24:00',
    }))
    const setRules = async (rules: unknown[]) =>
      (
        await client
          .patch(`/api/v1/business-hours/${schedule.id}`)
          .bearerToken(token)
          .json({ rules, exceptions: [] })
      ).assertStatus(200)
    await setRules(allWeek)
    const to = await makeDid(organization, 'business_hours', schedule.id)
    assert.deepEqual(rung(await route(to)), ['721'])
    await setRules([])
    assert.deepEqual(rung(await route(to)), ['722'])
  })

  test('conference rooms: a new participant limit is seen at once', async ({ assert, client }) => {
    const { organization, token } = await tenantWithToken()
    const created = await client
      .post('/api/v1/conference-rooms')
      .bearerToken(token)
      .json({ name: 'Cache room', number: '8801', maxParticipants: 5 })
    created.assertStatus(201)
    const roomId = created.body().data.id
    const to = await makeDid(organization, 'conference_room', roomId)
    const limit = async () =>
      only(only((await route(to)).root, 'Dial'), 'Conference').attributes.maxParticipants
    assert.equal(await limit(), '5')
    ;(
      await client
        .patch(`/api/v1/conference-rooms/${roomId}`)
        .bearerToken(token)
        .json({ maxParticipants: 9 })
    ).assertStatus(200)
    assert.equal(await limit(), '9')
  })

  test('voicemail boxes: a new greeting is played at once', async ({ assert }) => {
    const { organization } = await createTenant()
    const owner = await makeExtension(organization, { number: '731', voicemailEnabled: true })
    const to = await makeDid(organization, 'voicemail', owner.id)
    assert.deepEqual(verbs((await route(to)).root), ['Say', 'Record', 'Say', 'Hangup'])
    await VoicemailBox.create({
      organizationId: organization.id,
      extensionId: owner.id,
      greetingKey: 'greetings/x.wav',
    })
    assert.deepEqual(verbs((await route(to)).root), ['Play', 'Record', 'Say', 'Hangup'])
  })

  test('organization settings: a new no-answer timeout is used at once', async ({
    assert,
    client,
  }) => {
    const { organization, token } = await tenantWithToken()
    const a = await makeExtension(organization, { number: '741' })
    const to = await makeDid(organization, 'extension', a.id)
    const timeout = async () => only((await route(to)).root, 'Dial').attributes.timeout
    const before = await timeout()
    ;(
      await client
        .put('/api/v1/settings')
        .bearerToken(token)
        .json({ cloudonix: { noAnswerTimeout: 77 } })
    ).assertStatus(200)
    assert.notEqual(before, '77')
    assert.equal(await timeout(), '77')
  })

  test('organizations: a suspension is seen at once', async ({ assert }) => {
    const { organization } = await createTenant()
    const a = await makeExtension(organization, { number: '751' })
    const to = await makeDid(organization, 'extension', a.id)
    assert.deepEqual(rung(await route(to)), ['751'])
    organization.status = 'suspended'
    await organization.save()
    assert.match(only((await route(to)).root, 'Say').text, /not in service/)
  })

  test('webhook secrets: a secret revoked through the API stops verifying at once', async ({
    assert,
    client,
  }) => {
    const t = await webhookTenant({ mode: 'edge', secretCount: 2 })
    const [newest, oldest] = t.secrets
    const body = (token: string) => sessionUpdate(t.domain, token, {})
    assert.equal((await post(SESSION_UPDATE, body('cache-1'), { sign: oldest })).status, 200)
    const first = await db
      .from('webhook_secrets')
      .where('organization_id', t.organization.id)
      .orderBy('id', 'asc')
      .firstOrFail()
    const token = await tokenFor(t.owner)
    ;(
      await client.delete(`/api/v1/settings/webhook-secrets/${first.id}`).bearerToken(token)
    ).assertStatus(204)
    assert.equal((await post(SESSION_UPDATE, body('cache-2'), { sign: oldest })).status, 401)
    assert.equal((await post(SESSION_UPDATE, body('cache-3'), { sign: newest })).status, 200)
  })
})
