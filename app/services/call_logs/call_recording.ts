import type CallLog from '#models/call_log'
import { signedFileUrl } from '#services/storage/storage'

const MIME_BY_EXTENSION: Record<string, string> = {
  wav: 'audio/wav',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
}

/**
 * A same-origin path the browser's audio player can fetch for a call's recording, valid
 * for ten minutes (the page's CSP only lets media load from 'self'); null when the call
 * was not recorded.
 */
export function callRecordingPath(log: CallLog) {
  if (!log.recordingKey) return null
  const extension = log.recordingKey.split('.').pop()?.toLowerCase() ?? ''
  const url = signedFileUrl(
    {
      organizationId: log.organizationId,
      key: log.recordingKey,
      mime: MIME_BY_EXTENSION[extension] ?? 'application/octet-stream',
      filename: `call-${log.id}.${extension || 'bin'}`,
    },
    '10m',
  )
  return new URL(url).pathname
}
