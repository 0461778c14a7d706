import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import Extension from '#models/extension'
import VoicemailMessage from '#models/voicemail_message'
import type Organization from '#models/organization'
import storage, { tenantKey } from '#services/storage/storage'
import { defaultFollowMe, defaultForwarding } from '#enums/extensions'

let sequence = 100

/** An extension written straight to the database (what the API would have created). */
export function makeExtension(organization: Organization, overrides: Partial<Extension> = {}) {
  sequence += 1
  const number = overrides.number ?? String(sequence)
  const type = overrides.type ?? 'user'
  return Extension.create({
    organizationId: organization.id,
    number,
    name: `Extension ${number}`,
    type,
    status: 'active',
    configuration: {},
    sipUsername: type === 'user' ? number : null,
    sipPassword: type === 'user' ? 'seeded-sip-password-0123456789' : null,
    voicemailEnabled: false,
    dndEnabled: false,
    forwarding: defaultForwarding(),
    followMe: defaultFollowMe(),
    ...overrides,
  })
}

export async function makeConferenceRoom(organization: Organization, number = '800') {
  const [row] = await db
    .table('conference_rooms')
    .insert({
      organization_id: organization.id,
      number,
      name: `Room ${number}`,
      created_at: new Date(),
      updated_at: new Date(),
    })
    .returning('id')
  return row.id as number
}

/** A message as the call engine leaves it: a row plus its audio file in tenant storage. */
export async function makeVoicemail(
  extension: Extension,
  overrides: Partial<VoicemailMessage> = {},
) {
  const audioKey = tenantKey(extension.organizationId, 'voicemail', 'wav')
  await storage.put(audioKey, Buffer.from(`RIFF----WAVEvoicemail-${extension.id}`))
  return VoicemailMessage.create({
    organizationId: extension.organizationId,
    extensionId: extension.id,
    callerNumber: '+15550100',
    callerName: 'Caller',
    durationSeconds: 12,
    audioKey,
    audioMime: 'audio/wav',
    receivedAt: DateTime.now(),
    readAt: null,
    ...overrides,
  })
}
