import { open } from 'node:fs/promises'
import type Extension from '#models/extension'
import VoicemailBox from '#models/voicemail_box'

/** The box of an extension, or an unsaved one with the defaults when none was set up yet. */
export async function boxOf(extension: Extension) {
  const box = await extension.related('voicemailBox').query().first()
  return box ?? defaultBox(extension)
}

export function defaultBox(extension: Extension) {
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

/** RIFF....WAVE: the first 12 bytes of every WAV file, whatever its name claims. */
export async function isWave(path: string) {
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
