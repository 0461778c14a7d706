import { createHmac, timingSafeEqual } from 'node:crypto'
import hash from '@adonisjs/core/services/hash'
import redis from '@adonisjs/redis/services/main'
import env from '#start/env'
import type Extension from '#models/extension'
import VoicemailBox from '#models/voicemail_box'
import VoicemailMessage from '#models/voicemail_message'
import VoicemailMessages from '#services/voicemail/voicemail_messages'
import { signedFileUrl } from '#services/storage/storage'
import { cxml, type CxmlNode } from '#services/voice/cxml'
import { actionUrl, apology, deadEnd, type VoiceCall } from '#services/voice/voice_call'
import { findExtension } from '#services/voice/target_router'
import { mailboxCounts } from '#services/voicemail/mwi'

/** The feature code a tenant's phone dials to reach its own mailbox. */
export const VOICEMAIL_ACCESS_CODE = '*97'
export const PIN_ATTEMPTS = 3
/* Across calls: past this many wrong PINs in an hour the mailbox refuses the phone. */
export const PIN_FAILURES_PER_HOUR = 10
const pinFailuresKey = (call: VoiceCall, extensionId: number) =>
  `voicemail:pin-failures:${call.organization.id}:${extensionId}`
const GOODBYE = 'Goodbye.'
const OPTIONS =
  'To delete this message, press 7. To save it, press 9. For the next message, press pound. To exit, press star.'

/*
 * After the PIN, every action URL carries a MAC of (organization, extension, call): the
 * menu's later steps are only reachable by the call that typed the right PIN.
 */
function sessionMac(call: VoiceCall, extensionId: number) {
  return createHmac('sha256', env.get('APP_KEY').release())
    .update(`voicemail-menu.${call.organization.id}.${extensionId}.${call.request.callSid ?? ''}`)
    .digest('base64url')
    .slice(0, 32)
}

function validMac(call: VoiceCall, extensionId: number, given: unknown) {
  if (typeof given !== 'string' || !call.request.callSid) return false
  const expected = Buffer.from(sessionMac(call, extensionId))
  const actual = Buffer.from(given)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/* The menu acts as the phone's owner; audit rows name the user and the channel. */
function phoneActor(call: VoiceCall, extension: Extension) {
  return {
    organizationId: call.organization.id,
    actorUserId: extension.userId,
    impersonatorStaffId: null,
    ip: null,
    userAgent: `phone ${VOICEMAIL_ACCESS_CODE}`,
    requestId: call.requestId,
  }
}

async function mailboxOwner(call: VoiceCall, extensionId: number) {
  const extension = await findExtension(call, { id: extensionId })
  return extension?.status === 'active' && extension.type === 'user' && extension.voicemailEnabled
    ? extension
    : null
}

function boxOf(call: VoiceCall, extension: Extension) {
  return VoicemailBox.query()
    .withScopes((scopes) => scopes.forOrganization(call.organization))
    .where('extension_id', extension.id)
    .first()
}

function askPin(extension: Extension, attempt: number, lead?: string) {
  return cxml.response(
    cxml.gather(
      {
        action: actionUrl('voicemail-menu', { extension: extension.id, step: 'pin', attempt }),
        input: 'dtmf',
        finishOnKey: '#',
        timeout: 10,
        actionOnEmptyResult: true,
      },
      ...(lead ? [cxml.say(lead)] : []),
      cxml.say('Please enter your voicemail PIN, followed by the pound key.'),
    ),
  )
}

/** `*97` from a tenant phone: its own mailbox, behind the box PIN. */
export async function enterVoicemailMenu(call: VoiceCall): Promise<CxmlNode> {
  const caller = await findExtension(call, { number: call.request.from })
  const extension = caller ? await mailboxOwner(call, caller.id) : null
  if (!extension) return apology('Sorry, this phone has no voicemail box. Goodbye.')
  const box = await boxOf(call, extension)
  if (!box?.pinHash)
    return apology(
      'Your voicemail has no PIN yet. Set one in the portal to listen to your messages by phone. Goodbye.',
    )
  return askPin(extension, 0)
}

/** Messages of the box, newest first; a stable order that reading does not change. */
function messagesOf(call: VoiceCall, extension: Extension) {
  return VoicemailMessage.query()
    .withScopes((scopes) => scopes.forOrganization(call.organization))
    .where('extension_id', extension.id)
    .whereNull('deleted_at')
}

async function nextMessage(call: VoiceCall, extension: Extension, after: VoicemailMessage | null) {
  const query = messagesOf(call, extension).orderBy('received_at', 'desc').orderBy('id', 'desc')
  if (after)
    query.where((q) =>
      q
        .where('received_at', '<', after.receivedAt.toJSDate())
        .orWhere((same) =>
          same.where('received_at', after.receivedAt.toJSDate()).where('id', '<', after.id),
        ),
    )
  return query.first()
}

/* In the organization's time zone (as its business hours), not the server's. */
function spokenTime(message: VoicemailMessage, timezone: string | null) {
  const zoned = timezone ? message.receivedAt.setZone(timezone) : message.receivedAt
  const at = zoned.isValid ? zoned : message.receivedAt
  return at.toFormat("cccc, LLLL d 'at' h:mm a")
}

function spokenCaller(message: VoicemailMessage) {
  if (message.callerName) return message.callerName
  if (message.callerNumber) return message.callerNumber.split('').join(' ')
  return 'an unknown caller'
}

/* Presents one message (marked read as it is played) and waits for an option. */
async function present(
  call: VoiceCall,
  extension: Extension,
  message: VoicemailMessage | null,
  mac: string,
  lead: CxmlNode[] = [],
) {
  if (!message)
    return cxml.response(...lead, cxml.say('There are no more messages. ' + GOODBYE), cxml.hangup())
  await new VoicemailMessages().markRead(message, true, phoneActor(call, extension))
  const params = { extension: extension.id, step: 'option', message: message.id, s: mac }
  const audio = signedFileUrl(
    {
      organizationId: call.organization.id,
      key: message.audioKey,
      mime: message.audioMime,
      filename: `voicemail-${message.id}.wav`,
    },
    '30m',
  )
  return cxml.response(
    ...lead,
    cxml.gather(
      {
        action: actionUrl('voicemail-menu', params),
        input: 'dtmf',
        numDigits: 1,
        timeout: 8,
        actionOnEmptyResult: true,
      },
      cxml.say(
        `Message from ${spokenCaller(message)}, received ${spokenTime(message, call.organization.timezone)}.`,
      ),
      cxml.play(audio),
      cxml.say(OPTIONS),
    ),
  )
}

export type MenuStep = { step: string; attempt: number | null; message: number | null; s: unknown }

/** `/api/voice/voicemail-menu`: PIN check, then one message at a time. */
export async function voicemailMenu(
  call: VoiceCall,
  extensionId: number,
  input: MenuStep,
): Promise<CxmlNode> {
  const extension = await mailboxOwner(call, extensionId)
  if (!extension) return deadEnd(call, 'no voicemail menu for extension', { extensionId })

  if (input.step === 'pin') {
    const attempt = input.attempt ?? 0
    const failuresKey = pinFailuresKey(call, extension.id)
    if (Number(await redis.get(failuresKey)) >= PIN_FAILURES_PER_HOUR)
      return apology('Voicemail access is locked after too many wrong PINs. Try again later.')
    const box = await boxOf(call, extension)
    const digits = call.request.digits
    const valid =
      !!box?.pinHash && !!digits && /^\d{1,16}$/.test(digits)
        ? await hash.verify(box.pinHash, digits)
        : false
    if (!valid) {
      await redis.multi().incr(failuresKey).expire(failuresKey, 3600).exec()
      if (attempt + 1 >= PIN_ATTEMPTS)
        return apology('Sorry, that PIN is not valid. Too many failed attempts. Goodbye.')
      return askPin(extension, attempt + 1, 'Sorry, that PIN is not valid.')
    }
    await redis.del(failuresKey)
    const { newMessages: unread, oldMessages: saved } = await mailboxCounts(
      call.organization.id,
      extension.id,
    )
    const total = unread + saved
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`
    const summary = cxml.say(
      `You have ${plural(unread, 'new message')} and ${plural(saved, 'saved message')}.`,
    )
    if (total === 0) return cxml.response(summary, cxml.say(GOODBYE), cxml.hangup())
    const mac = sessionMac(call, extension.id)
    return present(call, extension, await nextMessage(call, extension, null), mac, [summary])
  }

  // Every later step belongs to the call that passed the PIN.
  if (!validMac(call, extension.id, input.s) || input.step !== 'option' || !input.message)
    return deadEnd(call, 'voicemail menu step without a valid session', { extensionId })
  const mac = input.s as string
  const current = await messagesOf(call, extension).where('id', input.message).first()
  // Deleted in the meantime (the portal, another phone): carry on with the one after it.
  const fromRow = current ?? null
  const digit = call.request.digits ?? ''
  if (digit === '*') return apology(GOODBYE)
  if (!fromRow) return present(call, extension, null, mac)
  if (digit === '7') {
    await new VoicemailMessages().delete(fromRow, phoneActor(call, extension))
    return present(call, extension, await nextMessage(call, extension, fromRow), mac, [
      cxml.say('Message deleted.'),
    ])
  }
  if (digit === '9')
    return present(call, extension, await nextMessage(call, extension, fromRow), mac, [
      cxml.say('Message saved.'),
    ])
  if (digit === '#' || digit === '')
    return present(call, extension, await nextMessage(call, extension, fromRow), mac)
  return present(call, extension, fromRow, mac, [cxml.say('Sorry, that is not a valid option.')])
}
