import { open } from 'node:fs/promises'
import { createReadStream } from 'node:fs'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import { errors } from '@vinejs/vine'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import type Extension from '#models/extension'
import VoicemailBox from '#models/voicemail_box'
import AuditTrail from '#services/audit/audit_trail'
import storage, { tenantKey } from '#services/storage/storage'
import { serializeVoicemailBox } from '#transformers/voicemail_transformer'

type Actor = ReturnType<typeof AuditTrail.fromRequest>
export type VoicemailBoxInput = {
  pin?: string | null
  email?: string | null
  notify?: boolean
  attachAudio?: boolean
  retentionDays?: number
  maxMessages?: number
}

/** The box of an extension, or an unsaved one with the defaults when none was set up yet. */
export async function boxOf(extension: Extension) {
  const box = await extension.related('voicemailBox').query().first()
  return box ?? defaultBox(extension)
}

function defaultBox(extension: Extension) {
  const user = extension.$preloaded.user as Extension['user'] | null | undefined
  return new VoicemailBox().merge({
    organizationId: extension.organizationId,
    extensionId: extension.id,
    pinHash: null,
    email: user?.email ?? null,
    notify: true,
    attachAudio: false,
    retentionDays: 90,
    maxMessages: 50,
    greetingKey: null,
  })
}

export default class VoicemailBoxService {
  async update(extension: Extension, input: VoicemailBoxInput, actor: Actor) {
    const box = await boxOf(extension)
    const { pin, ...settings } = input
    const pinHash = pin === undefined ? box.pinHash : pin === null ? null : await hash.make(pin)
    return this.#save(box, { ...settings, pinHash }, 'voicemail_box.updated', actor)
  }

  /** Only a real RIFF/WAVE file is stored, whatever its name or declared type says. */
  async setGreeting(extension: Extension, file: MultipartFile, actor: Actor) {
    if (!file.tmpPath || !(await isWave(file.tmpPath))) {
      throw new errors.E_VALIDATION_ERROR([
        { field: 'greeting', message: 'The greeting must be a WAV file', rule: 'wavMagic' },
      ])
    }
    const box = await boxOf(extension)
    const previous = box.greetingKey
    const key = tenantKey(extension.organizationId, 'greetings', 'wav')
    await storage.put(key, createReadStream(file.tmpPath))
    try {
      await this.#save(box, { greetingKey: key }, 'voicemail_box.greeting_updated', actor)
    } catch (error) {
      await storage.delete(key)
      throw error
    }
    if (previous) await storage.delete(previous)
    return box
  }

  async #save(box: VoicemailBox, changes: Partial<VoicemailBox>, action: string, actor: Actor) {
    return db.transaction(async (trx) => {
      const before = box.$isPersisted ? serializeVoicemailBox(box) : null
      box.useTransaction(trx)
      box.merge(changes)
      await box.save()
      await AuditTrail.record(
        actor,
        {
          action,
          subjectType: 'voicemail_box',
          subjectId: box.id,
          before,
          after: serializeVoicemailBox(box),
          metadata: { extensionId: box.extensionId },
        },
        trx,
      )
      return box
    })
  }
}

async function isWave(path: string) {
  const handle = await open(path, 'r')
  try {
    const header = Buffer.alloc(12)
    const { bytesRead } = await handle.read(header, 0, 12, 0)
    return (
      bytesRead === 12 &&
      header.toString('ascii', 0, 4) === 'RIFF' &&
      header.toString('ascii', 8, 12) === 'WAVE'
    )
  } finally {
    await handle.close()
  }
}
