import { createReadStream } from 'node:fs'
import { extname } from 'node:path'
import type { MultipartFile } from '@adonisjs/core/bodyparser'
import storage, { tenantKey } from '#services/storage/storage'
import { readHead, sniffAudio, wavDurationSeconds } from '#services/media/audio_probe'
import { fieldError } from '#services/shared/field_error'

export type StoredPrompt = {
  storageKey: string
  originalFilename: string
  mimeType: string
  size: number
  durationSeconds: number | null
}

/* Only the base name, without control characters, for display and Content-Disposition. */
function displayName(clientName: string) {
  const base = clientName.split(/[\\/]/).pop() ?? ''
  const printable = [...base].filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
  return printable.join('').slice(-255) || 'prompt'
}

/**
 * Checks an uploaded file by its bytes (WAV or MP3, matching its extension) and stores it
 * under the organization's prompts. The stored MIME type is the detected one, never the
 * client's, because it becomes the Content-Type the file is later served with.
 */
export async function storePrompt(organizationId: number, file: MultipartFile) {
  if (!file.tmpPath) throw fieldError('file', 'The file was not received', 'required')
  const head = await readHead(file.tmpPath)
  const format = sniffAudio(head)
  if (!format) throw fieldError('file', 'The file is not WAV or MP3 audio', 'audioContent')
  /* The client's own name: bodyparser's extname is itself sniffed from the bytes. */
  const extension = extname(file.clientName).slice(1).toLowerCase()
  if (format.type !== extension) {
    const message = `The file contains ${format.type.toUpperCase()} audio but is named .${extension}`
    throw fieldError('file', message, 'audioContent')
  }
  const storageKey = tenantKey(organizationId, 'prompts', format.type)
  const size = await storage.put(storageKey, createReadStream(file.tmpPath))
  return {
    storageKey,
    originalFilename: displayName(file.clientName),
    mimeType: format.mime,
    size,
    durationSeconds: format.type === 'wav' ? wavDurationSeconds(head, size) : null,
  } satisfies StoredPrompt
}
