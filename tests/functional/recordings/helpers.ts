import Recording from '#models/recording'
import type Organization from '#models/organization'
import storage from '#services/storage/storage'

/** A PCM WAV file: 44-byte header (RIFF/WAVE, fmt, data) then silence. */
export function wavFile(seconds: number, sampleRate = 8000, channels = 1, bits = 16) {
  const byteRate = (sampleRate * channels * bits) / 8
  const dataSize = Math.round(seconds * byteRate)
  const header = Buffer.alloc(44)
  header.write('RIFF', 0, 'latin1')
  header.writeUInt32LE(36 + dataSize, 4)
  header.write('WAVE', 8, 'latin1')
  header.write('fmt ', 12, 'latin1')
  header.writeUInt32LE(16, 16)
  header.writeUInt16LE(1, 20)
  header.writeUInt16LE(channels, 22)
  header.writeUInt32LE(sampleRate, 24)
  header.writeUInt32LE(byteRate, 28)
  header.writeUInt16LE((channels * bits) / 8, 32)
  header.writeUInt16LE(bits, 34)
  header.write('data', 36, 'latin1')
  header.writeUInt32LE(dataSize, 40)
  return Buffer.concat([header, Buffer.alloc(dataSize)])
}

/** An MP3 starting with an ID3v2 tag, or (bare) with an MPEG-1 Layer III frame header. */
export function mp3File(bare = false) {
  const frame = Buffer.from([0xff, 0xfb, 0x90, 0x64, ...Array(413).fill(0)])
  if (bare) return frame
  const id3 = Buffer.from([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00])
  return Buffer.concat([id3, frame])
}

let counter = 0

export function makeRecording(organization: Organization, overrides: Partial<Recording> = {}) {
  counter += 1
  return Recording.create({
    organizationId: organization.id,
    name: `Prompt ${counter}`,
    kind: 'remote',
    status: 'active',
    remoteUrl: `https://93.184.216.34/prompt-${counter}.wav`,
    ...overrides,
  })
}

export async function makeRecordings(organization: Organization, count: number) {
  for (let i = 0; i < count; i++) await makeRecording(organization)
}

/** Test uploads go to STORAGE_ROOT; removing them keeps the test area clean. */
export async function removeStored(organizationId: number) {
  const rows = await Recording.query()
    .withScopes((s) => s.forOrganization(organizationId))
    .whereNotNull('storage_key')
  await Promise.all(rows.map((row) => storage.delete(row.storageKey!)))
}
