import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { withRingGroupLock } from '#services/ring_groups/ring_group_lock'
import redis from '@adonisjs/redis/services/main'
import { rotationKey } from '#services/voice/ring_group_strategy'
import {
  actionOf,
  follow,
  makeDid,
  makeExtension,
  makeRingGroup,
  only,
  verbs,
  voice,
} from './support.js'

const rung = (dial: { children: { text: string }[] }) =>
  dial.children.map((c) => c.text.replace(/^sip:(\d+)@.*$/, '$1'))

test.group('Voice routing: ring groups', (group) => {
  isolate(group)

  test('simultaneous rings every member in one Dial, then the fallback when nobody answers', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const members = [
      await makeExtension(organization, { number: '601' }),
      await makeExtension(organization, { number: '602' }),
    ]
    const fallback = await makeExtension(organization, { number: '609' })
    const ringGroup = await makeRingGroup(organization, members, {
      timeout: 25,
      fallbackAction: 'extension',
      fallbackExtensionId: fallback.id,
    })
    const to = await makeDid(organization, 'ring_group', ringGroup.id)
    const dial = only((await voice('/api/voice/route', { To: to })).root, 'Dial')
    assert.deepEqual(rung(dial), ['601', '602'])
    assert.equal(dial.attributes.timeout, '25')
    assert.deepEqual(actionOf(dial), {
      path: '/api/voice/ring-group-callback',
      params: { group: String(ringGroup.id), stage: '0', start: '0' },
    })

    const answered = await follow(dial, { To: to, DialCallStatus: 'completed' })
    assert.deepEqual(verbs(answered.root), ['Hangup'])
    const missed = await follow(dial, { To: to, DialCallStatus: 'no-answer' })
    assert.deepEqual(rung(only(missed.root, 'Dial')), ['609'])
  })

  test('sequential hunts one member per stage, stops on answer, falls back when exhausted', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const members = [
      await makeExtension(organization, { number: '611' }),
      await makeExtension(organization, { number: '612' }),
    ]
    const ringGroup = await makeRingGroup(organization, members, { strategy: 'sequential' })
    const to = await makeDid(organization, 'ring_group', ringGroup.id)
    const first = only((await voice('/api/voice/route', { To: to })).root, 'Dial')
    assert.deepEqual(rung(first), ['611'])
    const second = only((await follow(first, { To: to, DialCallStatus: 'busy' })).root, 'Dial')
    assert.deepEqual(rung(second), ['612'])
    assert.equal(actionOf(second).params.stage, '1')
    // An answered (then finished) call never rings the next member (OPBX bug).
    assert.deepEqual(verbs((await follow(first, { To: to, DialCallStatus: 'completed' })).root), [
      'Hangup',
    ])
    const exhausted = await follow(second, { To: to, DialCallStatus: 'no-answer' })
    assert.deepEqual(verbs(exhausted.root), ['Say', 'Hangup'])
  })

  test('a member calling its own group is not rung, in any strategy', async ({ assert }) => {
    const { organization } = await createTenant()
    const members = [
      await makeExtension(organization, { number: '631' }),
      await makeExtension(organization, { number: '632' }),
      await makeExtension(organization, { number: '633' }),
    ]
    const together = await makeRingGroup(organization, members)
    const toTogether = await makeDid(organization, 'ring_group', together.id)
    const all = await voice('/api/voice/route', { To: toTogether, From: '632' })
    assert.deepEqual(rung(only(all.root, 'Dial')), ['631', '633'])

    const hunt = await makeRingGroup(organization, members, { strategy: 'sequential' })
    const toHunt = await makeDid(organization, 'ring_group', hunt.id)
    const first = only((await voice('/api/voice/route', { To: toHunt, From: '631' })).root, 'Dial')
    assert.deepEqual(rung(first), ['632'])
    const second = await follow(first, { To: toHunt, From: '631', DialCallStatus: 'no-answer' })
    assert.deepEqual(rung(only(second.root, 'Dial')), ['633'])
    const done = await follow(only(second.root, 'Dial'), {
      To: toHunt,
      From: '631',
      DialCallStatus: 'no-answer',
    })
    assert.deepEqual(verbs(done.root), ['Say', 'Hangup'])
  })

  test('round robin starts each new call one member further on', async ({ assert }) => {
    const { organization } = await createTenant()
    const members = [
      await makeExtension(organization, { number: '621' }),
      await makeExtension(organization, { number: '622' }),
      await makeExtension(organization, { number: '623' }),
    ]
    const ringGroup = await makeRingGroup(organization, members, { strategy: 'round_robin' })
    const to = await makeDid(organization, 'ring_group', ringGroup.id)
    const firsts = []
    for (let call = 0; call < 4; call++) {
      firsts.push(rung(only((await voice('/api/voice/route', { To: to })).root, 'Dial'))[0])
    }
    assert.deepEqual(firsts, ['621', '622', '623', '621'])

    // Within one call the hunt continues from that call's start.
    const dial = only((await voice('/api/voice/route', { To: to })).root, 'Dial')
    assert.deepEqual(rung(dial), ['622'])
    const next = only((await follow(dial, { To: to, DialCallStatus: 'no-answer' })).root, 'Dial')
    assert.deepEqual(rung(next), ['623'])
  })

  test('a retried request (same edge request id) gets the same answer and moves the rotation once', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const members = [
      await makeExtension(organization, { number: '626' }),
      await makeExtension(organization, { number: '627' }),
    ]
    const ringGroup = await makeRingGroup(organization, members, { strategy: 'round_robin' })
    const to = await makeDid(organization, 'ring_group', ringGroup.id)
    const requestId = crypto.randomUUID()
    const first = await voice('/api/voice/route', { To: to }, { requestId })
    const retry = await voice('/api/voice/route', { To: to }, { requestId })
    assert.equal(retry.xml, first.xml)
    assert.match(retry.contentType, /^application\/xml/)
    assert.equal(await redis.get(rotationKey(organization.id, ringGroup.id)), '1')
    assert.deepEqual(rung(only((await voice('/api/voice/route', { To: to })).root, 'Dial')), [
      '627',
    ])
  })

  test('longest idle offers the member who waited longest, and records the offer', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const members = [
      await makeExtension(organization, { number: '631' }),
      await makeExtension(organization, { number: '632' }),
    ]
    const ringGroup = await makeRingGroup(organization, members, { strategy: 'longest_idle' })
    await db
      .from('ring_group_members')
      .where('extension_id', members[0].id)
      .update({ last_offered_at: new Date() })
    const to = await makeDid(organization, 'ring_group', ringGroup.id)
    const first = only((await voice('/api/voice/route', { To: to })).root, 'Dial')
    assert.deepEqual(rung(first), ['632'])
    const row = await db.from('ring_group_members').where('extension_id', members[1].id).first()
    assert.isNotNull(row.last_offered_at)
    const second = only((await follow(first, { To: to, DialCallStatus: 'no-answer' })).root, 'Dial')
    assert.deepEqual(rung(second), ['631'])
  })

  test('a change of members is seen by the very next routing request', async ({
    assert,
    client,
  }) => {
    const { organization, owner } = await createTenant()
    const a = await makeExtension(organization, { number: '641' })
    const b = await makeExtension(organization, { number: '642' })
    const ringGroup = await makeRingGroup(organization, [a])
    const to = await makeDid(organization, 'ring_group', ringGroup.id)
    assert.deepEqual(rung(only((await voice('/api/voice/route', { To: to })).root, 'Dial')), [
      '641',
    ])
    const response = await client
      .patch(`/api/v1/ring-groups/${ringGroup.id}`)
      .bearerToken(await tokenFor(owner))
      .json({ members: [{ extensionId: b.id, priority: 1 }] })
    response.assertStatus(200)
    assert.deepEqual(rung(only((await voice('/api/voice/route', { To: to })).root, 'Dial')), [
      '642',
    ])
  })

  test('an inactive group, an empty group and a fallback loop end in an apology', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const inactive = await makeRingGroup(organization, [await makeExtension(organization)], {
      status: 'inactive',
    })
    const empty = await makeRingGroup(organization, [])
    const loopA = await makeRingGroup(organization, [])
    const loopB = await makeRingGroup(organization, [], {
      fallbackAction: 'ring_group',
      fallbackRingGroupId: loopA.id,
    })
    await db
      .from('ring_groups')
      .where('id', loopA.id)
      .update({ fallback_action: 'ring_group', fallback_ring_group_id: loopB.id })
    for (const id of [inactive.id, empty.id, loopA.id]) {
      const answer = await voice('/api/voice/route', {
        To: await makeDid(organization, 'ring_group', id),
      })
      assert.equal(answer.status, 200)
      assert.deepEqual(verbs(answer.root), ['Say', 'Hangup'])
    }
  })

  test('a tampered callback naming another tenant group routes nowhere', async ({ assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    const theirs = await makeRingGroup(b.organization, [await makeExtension(b.organization)])
    const to = await makeDid(a.organization, 'hangup', null)
    const answer = await voice(
      `/api/voice/ring-group-callback?group=${theirs.id}&stage=0&start=0`,
      { To: to, DialCallStatus: 'no-answer' },
    )
    assert.deepEqual(verbs(answer.root), ['Say', 'Hangup'])
    assert.notInclude(answer.xml, b.organization.sipDomain)
  })

  test('a failure while routing (group locked by a long edit) is an apology with 200, not a 500', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const ringGroup = await makeRingGroup(organization, [await makeExtension(organization)])
    const to = await makeDid(organization, 'ring_group', ringGroup.id)
    const answer = await withRingGroupLock(ringGroup.id, () =>
      voice('/api/voice/route', { To: to }),
    )
    assert.equal(answer.status, 200)
    assert.deepEqual(verbs(answer.root), ['Say', 'Hangup'])
    assert.match(only(answer.root, 'Say').text, /cannot connect your call/)
  })
})
