import { createReadStream } from 'node:fs'
import hash from '@adonisjs/core/services/hash'
import db from '@adonisjs/lucid/services/db'
import { errors } from '@vinejs/vine'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import type Extension from '#models/extension'
import type VoicemailBox from '#models/voicemail_box'
import { boxOf, isWave } from '#services/voicemail/voicemail_box_lookup'
import ApiException from '#exceptions/api_exception'
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
      await box.save().catch((error) => {
        // Two first saves of the same box at once: one wins, the other is told to retry.
        if (error?.code !== '23505') throw error
        throw ApiException.conflict('This voicemail box was just created: retry the change')
      })
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
