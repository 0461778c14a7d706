import storage, { signedFileUrl, tenantKey } from '#services/storage/storage'
import VoicemailBox from '#models/voicemail_box'
import type Extension from '#models/extension'

/** A real 8 kHz 16-bit mono PCM WAV of `seconds` (a 440 Hz tone), as the edge uploads. */
export function pcmWav(seconds: number) {
  const rate = 8000
  const samples = Math.round(rate * seconds)
  const wav = Buffer.alloc(44 + samples * 2)
  wav.write('RIFF', 0, 'ascii')
  wav.writeUInt32LE(36 + samples * 2, 4)
  wav.write('WAVEfmt ', 8, 'ascii')
  wav.writeUInt32LE(16, 16)
  wav.writeUInt16LE(1, 20)
  wav.writeUInt16LE(1, 22)
  wav.writeUInt32LE(rate, 24)
  wav.writeUInt32LE(rate * 2, 28)
  wav.writeUInt16LE(2, 32)
  wav.writeUInt16LE(16, 34)
  wav.write('data', 36, 'ascii')
  wav.writeUInt32LE(samples * 2, 40)
  for (let i = 0; i < samples; i++)
    wav.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2)
  return wav
}

/** Stores a recording the way POST /api/edge/recordings does and returns its RecordingUrl. */
export async function storedRecording(organizationId: number, wav: Buffer) {
  const key = tenantKey(organizationId, 'recordings', 'wav')
  await storage.put(key, wav)
  const url = signedFileUrl(
    { organizationId, key, mime: 'audio/wav', filename: 'recording.wav' },
    '1h',
  )
  return { key, url }
}

export function makeBox(extension: Extension, overrides: Partial<VoicemailBox> = {}) {
  return VoicemailBox.create({
    organizationId: extension.organizationId,
    extensionId: extension.id,
    pinHash: null,
    email: null,
    notify: true,
    attachAudio: true,
    retentionDays: 90,
    maxMessages: 50,
    greetingKey: null,
    ...overrides,
  })
}

export async function waitUntil(predicate: () => boolean | Promise<boolean>, ms = 30_000) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await predicate()) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('condition not met in time')
}
