import { test } from '@japa/runner'
import env from '#start/env'
import queueService from '#services/queue/queue_service'
import VoicemailEmailJob from '#jobs/voicemail_email_job'
import VoicemailMessage from '#models/voicemail_message'
import { sendVoicemailEmail } from '#services/voicemail/voicemail_email'
import { createTenant, isolate } from '#tests/helpers'
import { useSmtpSink } from '#tests/support/smtp_sink'
import { makeExtension } from '#tests/functional/extensions/support'
import { makeDid, voice, verbs } from '#tests/functional/voice/support'
import { makeBox, pcmWav, storedRecording } from '#tests/functional/voicemail/support'

const serverUrl = () => `http://127.0.0.1:${env.get('PORT')}`

test.group('Voicemail email notification', (group) => {
  isolate(group)
  const sink = useSmtpSink(group)
  group.setup(() => {
    queueService.process([VoicemailEmailJob], 1)
    return () => queueService.close()
  })
  group.each.setup(() => sink.clear())

  test('a stored message is emailed by a queued job with caller, time, duration and the WAV', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    organization.timezone = 'America/New_York'
    await organization.save()
    const extension = await makeExtension(organization, { voicemailEnabled: true, name: 'Alice' })
    await makeBox(extension, { email: 'alice.vm@example.test', attachAudio: true })
    const to = await makeDid(organization, 'voicemail', extension.id)
    const wav = pcmWav(3)
    const recording = await storedRecording(organization.id, wav)

    const done = await voice(`/api/voice/voicemail-complete?extension=${extension.id}`, {
      To: to,
      From: '+15550002222',
      CallerName: 'Bob Caller',
      RecordingUrl: recording.url,
      RecordingDuration: '3',
    })
    assert.deepEqual(verbs(done.root), ['Say', 'Hangup'])

    const mail = await sink.waitForRecipient('alice.vm@example.test', 60_000)
    assert.include(mail.subject, 'Bob Caller (+15550002222)')
    assert.include(mail.text, 'From: Bob Caller (+15550002222)')
    assert.include(mail.text, 'Duration: 3 s')
    // The organization's time zone, named.
    assert.match(mail.text, /Received: \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} E[SD]T/)
    assert.lengthOf(mail.attachments, 1)
    const [attachment] = mail.attachments
    assert.equal(attachment.contentType, 'audio/wav')
    assert.match(attachment.filename ?? '', /^voicemail-\d+\.wav$/)
    assert.equal(attachment.content.toString('ascii', 0, 4), 'RIFF')
    assert.equal(attachment.content.toString('ascii', 8, 12), 'WAVE')
    assert.isTrue(attachment.content.equals(wav), 'the attachment is the stored recording')
  })

  test('over the size limit, or without audio, the email carries a signed link instead', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    const extension = await makeExtension(organization, { voicemailEnabled: true })
    await makeBox(extension, { email: 'big.vm@example.test', attachAudio: true })
    const recording = await storedRecording(organization.id, pcmWav(2))
    const message = await VoicemailMessage.create({
      organizationId: organization.id,
      extensionId: extension.id,
      callerNumber: '+15550003333',
      callerName: null,
      durationSeconds: 62,
      audioKey: recording.key,
      audioMime: 'audio/wav',
      receivedAt: (await import('luxon')).DateTime.now(),
    })
    // 2 s of audio is ~32 KB: a 1 KB limit forces the link.
    assert.equal(await sendVoicemailEmail(organization.id, message.id, 1024), 'sent_link')
    const mail = await sink.waitForRecipient('big.vm@example.test')
    assert.lengthOf(mail.attachments, 0)
    assert.include(mail.text, 'Duration: 1 min 2 s')
    const link = /(http\S+\/files\/\S+)/.exec(mail.text)?.[1]
    assert.isDefined(link)
    // APP_URL names the public origin; the test server listens on PORT.
    const local = new URL(new URL(link!).pathname + new URL(link!).search, serverUrl())
    const fetched = await fetch(local)
    assert.equal(fetched.status, 200)
    assert.equal(Buffer.from(await fetched.arrayBuffer()).toString('ascii', 8, 12), 'WAVE')
  })

  test('a mailbox never configured notifies the extension user by default, with a link', async ({
    assert,
  }) => {
    const { organization, user: member } = await createTenant()
    const extension = await makeExtension(organization, {
      voicemailEnabled: true,
      userId: member.id,
    })
    const recording = await storedRecording(organization.id, pcmWav(1))
    const message = await VoicemailMessage.create({
      organizationId: organization.id,
      extensionId: extension.id,
      callerNumber: '+15550004444',
      callerName: null,
      durationSeconds: 1,
      audioKey: recording.key,
      audioMime: 'audio/wav',
      receivedAt: (await import('luxon')).DateTime.now(),
    })
    assert.equal(await sendVoicemailEmail(organization.id, message.id), 'sent_link')
    const mail = await sink.waitForRecipient(member.email)
    assert.lengthOf(mail.attachments, 0)
    assert.match(mail.text, /\/files\//)
  })

  test('no email when the box has notification off or no address, nor for another tenant', async ({
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const quiet = await makeExtension(a.organization, { voicemailEnabled: true })
    await makeBox(quiet, { email: 'quiet.vm@example.test', notify: false })
    const noAddress = await makeExtension(a.organization, { voicemailEnabled: true })
    await makeBox(noAddress, { email: null })
    const recording = await storedRecording(a.organization.id, pcmWav(1))
    const base = {
      callerNumber: '+1555',
      callerName: null,
      durationSeconds: 1,
      audioKey: recording.key,
      audioMime: 'audio/wav',
      receivedAt: (await import('luxon')).DateTime.now(),
    }
    for (const extension of [quiet, noAddress]) {
      const message = await VoicemailMessage.create({
        ...base,
        organizationId: a.organization.id,
        extensionId: extension.id,
      })
      assert.equal(await sendVoicemailEmail(a.organization.id, message.id), 'skipped')
    }
    const loud = await makeExtension(a.organization, { voicemailEnabled: true })
    await makeBox(loud, { email: 'loud.vm@example.test' })
    const message = await VoicemailMessage.create({
      ...base,
      organizationId: a.organization.id,
      extensionId: loud.id,
    })
    // A job naming the wrong organization finds nothing to send.
    assert.equal(await sendVoicemailEmail(b.organization.id, message.id), 'skipped')
    assert.lengthOf(sink.messages, 0)
  })
})
