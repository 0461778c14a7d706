import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import VoicemailMessage from '#models/voicemail_message'
import type Organization from '#models/organization'
import { signedFileUrl } from '#services/storage/storage'
import { defaultForwarding } from '#enums/extensions'
import { createTenant, isolate } from '#tests/helpers'
import { actionOf, follow, makeDid, makeExtension, only, verbs, voice } from './support.js'

function forwarding(rules: Partial<ReturnType<typeof defaultForwarding>>) {
  return { ...defaultForwarding(), ...rules }
}

/* An enabled route through one enabled trunk: outside numbers have somewhere to go. */
async function outboundRoute(organization: Organization) {
  const now = new Date()
  const [trunk] = await db
    .table('trunks')
    .insert({
      organization_id: organization.id,
      name: 'Carrier',
      kind: 'ip',
      codecs: '["PCMU"]',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
  const [route] = await db
    .table('outbound_routes')
    .insert({ organization_id: organization.id, name: 'All', created_at: now, updated_at: now })
    .returning('id')
  await db.table('outbound_route_trunks').insert({
    organization_id: organization.id,
    outbound_route_id: route.id,
    trunk_id: trunk.id,
    position: 1,
  })
}

test.group('Voice routing: extensions, forwarding and voicemail', (group) => {
  isolate(group)

  test('Dial result: answered ends the call; busy follows the busy rule; no answer goes to voicemail', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    await makeExtension(organization, { number: '210' })
    const extension = await makeExtension(organization, {
      number: '211',
      voicemailEnabled: true,
      forwarding: forwarding({ busy: { enabled: true, destination: '210' } }),
    })
    const to = await makeDid(organization, 'extension', extension.id)
    const dial = only((await voice('/api/voice/route', { To: to })).root, 'Dial')

    const answered = await follow(dial, { To: to, DialCallStatus: 'completed' })
    assert.deepEqual(verbs(answered.root), ['Hangup'])

    // Cloudonix's docs put the result in CallStatus only: that is honoured too.
    const busy = await follow(dial, { To: to, CallStatus: 'busy' })
    const forward = only(busy.root, 'Dial')
    assert.equal(forward.children[0].text, `sip:210@${organization.sipDomain}`)
    assert.deepEqual(actionOf(forward).params, { extension: String(extension.id), forwarded: '1' })

    const noAnswer = await follow(dial, { To: to, DialCallStatus: 'no-answer' })
    assert.deepEqual(verbs(noAnswer.root), ['Say', 'Record', 'Say', 'Hangup'])

    // An unanswered forward ends in the owner's voicemail, never in another forward.
    const forwardedMiss = await follow(forward, { To: to, DialCallStatus: 'no-answer' })
    assert.deepEqual(verbs(forwardedMiss.root), ['Say', 'Record', 'Say', 'Hangup'])
  })

  test('no answer without voicemail: an apology', async ({ assert }) => {
    const { organization } = await createTenant()
    const extension = await makeExtension(organization)
    const to = await makeDid(organization, 'extension', extension.id)
    const dial = only((await voice('/api/voice/route', { To: to })).root, 'Dial')
    const missed = await follow(dial, { To: to, DialCallStatus: 'no-answer' })
    assert.deepEqual(verbs(missed.root), ['Say', 'Hangup'])
  })

  test('do-not-disturb skips the phone: voicemail', async ({ assert }) => {
    const { organization } = await createTenant()
    const extension = await makeExtension(organization, {
      dndEnabled: true,
      voicemailEnabled: true,
    })
    const to = await makeDid(organization, 'extension', extension.id)
    const answer = await voice('/api/voice/route', { To: to })
    assert.deepEqual(verbs(answer.root), ['Say', 'Record', 'Say', 'Hangup'])
  })

  test('forward-always to another extension, and follow-me rings the extra numbers too', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    await makeExtension(organization, { number: '220' })
    const always = await makeExtension(organization, {
      forwarding: forwarding({ always: { enabled: true, destination: '220' } }),
    })
    const forwarded = only(
      (await voice('/api/voice/route', { To: await makeDid(organization, 'extension', always.id) }))
        .root,
      'Dial',
    )
    assert.equal(forwarded.children[0].text, `sip:220@${organization.sipDomain}`)

    const follower = await makeExtension(organization, {
      number: '221',
      followMe: { enabled: true, numbers: [{ number: '220', ringSeconds: 20 }] },
    })
    const dial = only(
      (
        await voice('/api/voice/route', {
          To: await makeDid(organization, 'extension', follower.id),
        })
      ).root,
      'Dial',
    )
    assert.deepEqual(
      dial.children.map((c) => c.text),
      [`sip:221@${organization.sipDomain}`, `sip:220@${organization.sipDomain}`],
    )
  })

  test('forwarding outside: dialled when the outbound rules allow it, refused by a deny rule', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    await outboundRoute(organization)
    const allowed = await makeExtension(organization, {
      forwarding: forwarding({ always: { enabled: true, destination: '+4930123456' } }),
    })
    const ok = await voice('/api/voice/route', {
      To: await makeDid(organization, 'extension', allowed.id),
    })
    const dial = only(ok.root, 'Dial')
    assert.deepEqual(
      dial.children.map((c) => [c.name, c.text]),
      [['Number', '+4930123456']],
    )

    await db.table('outbound_rules').insert({
      organization_id: organization.id,
      kind: 'deny',
      prefix: '+4930',
      created_at: new Date(),
      updated_at: new Date(),
    })
    const denied = await voice('/api/voice/route', {
      To: await makeDid(organization, 'extension', allowed.id),
    })
    assert.deepEqual(verbs(denied.root), ['Say', 'Hangup'])
    assert.match(only(denied.root, 'Say').text, /cannot be forwarded/)
    assert.notInclude(denied.xml, '+4930123456')
  })

  test('a premium-rate forward is refused by the built-in rules without any tenant rule', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    await outboundRoute(organization)
    const extension = await makeExtension(organization, {
      forwarding: forwarding({ always: { enabled: true, destination: '+19005550100' } }),
    })
    const answer = await voice('/api/voice/route', {
      To: await makeDid(organization, 'extension', extension.id),
    })
    assert.deepEqual(verbs(answer.root), ['Say', 'Hangup'])
  })

  test('voicemail: greeting and Record; the completion stores our recording as a message', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const extension = await makeExtension(organization, { voicemailEnabled: true, name: 'Alice' })
    const to = await makeDid(organization, 'voicemail', extension.id)
    const answer = await voice('/api/voice/route', { To: to, From: '+15550002222' })
    assert.match(answer.root.children[0].text, /Alice is not available/)
    const record = only(answer.root, 'Record')
    assert.deepEqual(actionOf(record), {
      path: '/api/voice/voicemail-complete',
      params: { extension: String(extension.id) },
    })

    const key = `${organization.id}/voicemail/edge-recording.wav`
    const recordingUrl = signedFileUrl({
      organizationId: organization.id,
      key,
      mime: 'audio/wav',
      filename: 'x.wav',
    })
    const done = await follow(record, {
      To: to,
      From: '+15550002222',
      CallerName: 'Caller',
      RecordingUrl: recordingUrl,
      RecordingDuration: '9',
    })
    assert.deepEqual(verbs(done.root), ['Say', 'Hangup'])
    const messages = await VoicemailMessage.query()
      .withScopes((s) => s.forOrganization(organization))
      .where('extension_id', extension.id)
    assert.lengthOf(messages, 1)
    assert.equal(messages[0].audioKey, key)
    assert.equal(messages[0].durationSeconds, 9)
    assert.equal(messages[0].callerNumber, '+15550002222')
  })

  test('voicemail completion with a foreign or remote recording URL stores nothing', async ({
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const extension = await makeExtension(a.organization, { voicemailEnabled: true })
    const to = await makeDid(a.organization, 'voicemail', extension.id)
    const foreign = signedFileUrl({
      organizationId: b.organization.id,
      key: `${b.organization.id}/voicemail/theirs.wav`,
      mime: 'audio/wav',
      filename: 'x.wav',
    })
    for (const url of [foreign, 'https://recordings.example.com/abc.wav']) {
      const done = await voice(`/api/voice/voicemail-complete?extension=${extension.id}`, {
        To: to,
        RecordingUrl: url,
      })
      assert.deepEqual(verbs(done.root), ['Say', 'Hangup'])
    }
    assert.lengthOf(await db.from('voicemail_messages').where('extension_id', extension.id), 0)
  })

  test('a SIP forward must stay on the tenant domain', async ({ assert }) => {
    const { organization } = await createTenant()
    const own = `sip:220@${organization.sipDomain};transport=tcp`
    const home = await makeExtension(organization, {
      forwarding: forwarding({ always: { enabled: true, destination: own } }),
    })
    const dial = only(
      (await voice('/api/voice/route', { To: await makeDid(organization, 'extension', home.id) }))
        .root,
      'Dial',
    )
    assert.deepEqual(
      dial.children.map((c) => [c.name, c.text]),
      [['Sip', own]],
    )
    const away = await makeExtension(organization, {
      forwarding: forwarding({
        always: { enabled: true, destination: 'sip:220@pbx.attacker.example' },
      }),
    })
    const refused = await voice('/api/voice/route', {
      To: await makeDid(organization, 'extension', away.id),
    })
    assert.deepEqual(verbs(refused.root), ['Say', 'Hangup'])
  })
})
