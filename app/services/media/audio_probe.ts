import { open } from 'node:fs/promises'

/*
 * What an uploaded prompt really is, judged by its bytes: an extension or a browser-sent
 * MIME type is whatever the client claims, and the media engine must only ever be handed
 * audio it can play.
 */

export type AudioFormat = { type: 'wav' | 'mp3'; mime: string }

export const HEAD_BYTES = 64 * 1024

export function sniffAudio(head: Buffer): AudioFormat | null {
  if (
    head.length >= 12 &&
    head.toString('latin1', 0, 4) === 'RIFF' &&
    head.toString('latin1', 8, 12) === 'WAVE'
  ) {
    return { type: 'wav', mime: 'audio/wav' }
  }
  if (head.length >= 3 && head.toString('latin1', 0, 3) === 'ID3') {
    return { type: 'mp3', mime: 'audio/mpeg' }
  }
  if (head.length >= 3 && isMpegFrameHeader(head[0], head[1], head[2])) {
    return { type: 'mp3', mime: 'audio/mpeg' }
  }
  return null
}

/* 11-bit sync, then version, layer and bitrate fields that must not be "reserved"/"bad". */
function isMpegFrameHeader(b0: number, b1: number, b2: number) {
  const sync = b0 === 0xff && (b1 & 0xe0) === 0xe0
  const version = (b1 >> 3) & 0x03
  const layer = (b1 >> 1) & 0x03
  const bitrate = (b2 >> 4) & 0x0f
  const sampleRate = (b2 >> 2) & 0x03
  return sync && version !== 1 && layer !== 0 && bitrate !== 0x0f && sampleRate !== 3
}

/**
 * Seconds of audio in a WAV file: the data chunk's size divided by the byte rate of the
 * fmt chunk. Walks the chunk list, since LIST/fact chunks may come first. Null when the
 * header is unusable (the file is still accepted; duration is informative).
 */
export function wavDurationSeconds(head: Buffer, fileSize: number): number | null {
  let offset = 12
  let byteRate: number | null = null
  while (offset + 8 <= head.length) {
    const id = head.toString('latin1', offset, offset + 4)
    const size = head.readUInt32LE(offset + 4)
    if (id === 'fmt ' && offset + 20 <= head.length) byteRate = head.readUInt32LE(offset + 16)
    if (id === 'data') {
      if (!byteRate) return null
      const available = Math.max(0, fileSize - (offset + 8))
      return Math.round((Math.min(size, available) / byteRate) * 1000) / 1000
    }
    offset += 8 + size + (size % 2)
  }
  return null
}

export async function readHead(path: string, bytes = HEAD_BYTES) {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(bytes)
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}
