import { DateTime } from 'luxon'
import env from '#start/env'
import { routingVoicemailBox } from '#services/voice/routing_reads'
import VoicemailMessage from '#models/voicemail_message'
import { readFileGrant, signedFileUrl } from '#services/storage/storage'
import { cxml } from '#services/voice/cxml'
import { actionUrl, apology, deadEnd, type VoiceCall } from '#services/voice/voice_call'
import { findExtension } from '#services/voice/target_router'
import logger from '@adonisjs/core/services/logger'
import { voicemailReceived } from '#services/voicemail/voicemail_events'

const MAX_MESSAGE_SECONDS = 180

async function mailboxExtension(call: VoiceCall, id: number) {
  const extension = await findExtension(call, { id })
  return extension?.status === 'active' && extension.voicemailEnabled ? extension : null
}

/** The owner's greeting (or a spoken one), then Record; an empty recording just ends. */
export async function offerVoicemail(call: VoiceCall, extensionId: number) {
  const extension = await mailboxExtension(call, extensionId)
  if (!extension) return deadEnd(call, 'no voicemail for extension', { extensionId })
  const box = await routingVoicemailBox(call, extension.id)
  const greeting = box?.greetingKey
    ? cxml.play(
        signedFileUrl({
          organizationId: extension.organizationId,
          key: box.greetingKey,
          mime: 'audio/wav',
          filename: `greeting-${extension.id}.wav`,
        }),
      )
    : cxml.say(`${extension.name} is not available. Please leave a message after the tone.`)
  return cxml.response(
    greeting,
    cxml.record({
      action: actionUrl('voicemail-complete', { extension: extension.id }),
      maxLength: MAX_MESSAGE_SECONDS,
      finishOnKey: '#',
      playBeep: true,
    }),
    cxml.say('No message was recorded. Goodbye.'),
    cxml.hangup(),
  )
}

/*
 * A recording is kept only when it is one of our own stored files (a signed /files/ URL
 * for this organization, which is how voip-edge hands recordings over). A remote URL is
 * not fetched while the call waits; it is logged so an import job can pick it up later.
 */
function ownRecording(call: VoiceCall, url: string | null) {
  const prefix = `${env.get('APP_URL')}/files/`
  if (!url?.startsWith(prefix)) return null
  try {
    const grant = readFileGrant(decodeURIComponent(url.slice(prefix.length)))
    return grant?.organizationId === call.organization.id ? grant : null
  } catch {
    return null
  }
}

/** `/api/voice/voicemail-complete`: stores the message row, thanks the caller. */
export async function voicemailComplete(call: VoiceCall, extensionId: number) {
  const extension = await mailboxExtension(call, extensionId)
  if (!extension) return deadEnd(call, 'no voicemail for extension', { extensionId })
  const grant = ownRecording(call, call.request.recordingUrl)
  if (grant) {
    const message = await VoicemailMessage.create({
      organizationId: call.organization.id,
      extensionId: extension.id,
      callerNumber: call.request.from.slice(0, 64) || null,
      callerName: call.request.callerName?.slice(0, 120) ?? null,
      durationSeconds: call.request.recordingDuration,
      audioKey: grant.key,
      audioMime: grant.mime,
      receivedAt: DateTime.now(),
    })
    await voicemailReceived(message)
  } else {
    logger.warn(
      { requestId: call.requestId, organizationId: call.organization.id, extensionId },
      'voicemail recording not stored: not one of our files',
    )
  }
  return apology('Thank you. Your message has been recorded. Goodbye.')
}
