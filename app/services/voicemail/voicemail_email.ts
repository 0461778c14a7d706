import { buffer } from 'node:stream/consumers'
import mail from '@adonisjs/mail/services/main'
import env from '#start/env'
import Extension from '#models/extension'
import Organization from '#models/organization'
import VoicemailBox from '#models/voicemail_box'
import VoicemailMessage from '#models/voicemail_message'
import storage, { signedFileUrl } from '#services/storage/storage'
import { defaultBox } from '#services/voicemail/voicemail_box_lookup'

/*
 * Mail relays commonly refuse messages over 10-25 MB, and base64 adds a third: past this
 * size the email carries a signed link to the audio instead of the audio itself.
 */
export const ATTACHMENT_LIMIT_BYTES = 7 * 1024 * 1024
const LINK_VALIDITY = '7d'

export type VoicemailEmailOutcome = 'sent_attached' | 'sent_link' | 'skipped'

function describeCaller(message: VoicemailMessage) {
  const number = message.callerNumber ?? 'an unknown number'
  return message.callerName ? `${message.callerName} (${number})` : number
}

function formatDuration(seconds: number) {
  const m = Math.floor(seconds / 60)
  const s = seconds % 60
  return m ? `${m} min ${s} s` : `${s} s`
}

/**
 * Emails the box's notification address about one stored message: caller, time, duration,
 * and the WAV attached when the box asks for audio and it is small enough (a signed link
 * otherwise). Everything is re-read through the message's own organization.
 */
export async function sendVoicemailEmail(
  organizationId: number,
  messageId: number,
  limit = ATTACHMENT_LIMIT_BYTES,
): Promise<VoicemailEmailOutcome> {
  const message = await VoicemailMessage.query()
    .withScopes((scopes) => scopes.forOrganization(organizationId))
    .where('id', messageId)
    .whereNull('deleted_at')
    .first()
  if (!message) return 'skipped'
  const extension = await Extension.query()
    .withScopes((scopes) => scopes.forOrganization(organizationId))
    .where('id', message.extensionId)
    .whereNull('deleted_at')
    .preload('user')
    .first()
  if (!extension) return 'skipped'
  // A mailbox never configured has the defaults: notify the extension's user, link only.
  const box =
    (await VoicemailBox.query()
      .withScopes((scopes) => scopes.forOrganization(organizationId))
      .where('extension_id', message.extensionId)
      .first()) ?? defaultBox(extension)
  if (!box.notify || !box.email) return 'skipped'

  const filename = `voicemail-${message.id}.wav`
  const size = box.attachAudio ? await storage.size(message.audioKey) : null
  const attach = size !== null && size <= limit
  const audio = attach ? await buffer(storage.read(message.audioKey)) : null
  const link = attach
    ? null
    : signedFileUrl(
        { organizationId, key: message.audioKey, mime: message.audioMime, filename },
        LINK_VALIDITY,
      )
  const caller = describeCaller(message)
  // In the organization's time zone, named, so the reader knows which one it is.
  const organization = await Organization.find(organizationId)
  const zoned = message.receivedAt.setZone(organization?.timezone ?? 'utc')
  const when = (zoned.isValid ? zoned : message.receivedAt.setZone('utc')).toFormat(
    'yyyy-LL-dd HH:mm:ss ZZZZ',
  )
  const lines = [
    `New voicemail for ${extension.name} (extension ${extension.number}).`,
    '',
    `From: ${caller}`,
    `Received: ${when}`,
    `Duration: ${formatDuration(message.durationSeconds)}`,
    '',
    audio
      ? 'The message is attached as a WAV file.'
      : size !== null
        ? `The recording is too large to attach; listen to it within 7 days here:\n${link}`
        : `Listen to it within 7 days here:\n${link}`,
    '',
    `Manage your voicemail at ${env.get('APP_URL')}`,
  ]
  await mail.send((mailMessage) => {
    mailMessage
      .to(box.email!)
      .subject(`New voicemail from ${caller} (${formatDuration(message.durationSeconds)})`)
      .text(lines.join('\n'))
    if (audio) mailMessage.attachData(audio, { filename, contentType: 'audio/wav' })
  })
  return audio ? 'sent_attached' : 'sent_link'
}
