import { DateTime } from 'luxon'
import type Recording from '#models/recording'
import { signedFileUrl } from '#services/storage/storage'

const LIFETIME_MINUTES = 10

/**
 * Where a prompt can be played from. Uploads: a signed link to that one file, valid 10
 * minutes (GET /files/:token), so nobody reaches a stored file without asking the API
 * first. Remote prompts: their own URL.
 */
export function playbackUrl(recording: Recording) {
  if (recording.kind === 'remote') return { url: recording.remoteUrl!, expiresAt: null }
  const grant = {
    organizationId: recording.organizationId,
    key: recording.storageKey!,
    mime: recording.mimeType ?? 'application/octet-stream',
    filename: recording.originalFilename ?? `recording-${recording.id}`,
  }
  const expiresAt = DateTime.now().plus({ minutes: LIFETIME_MINUTES })
  return { url: signedFileUrl(grant, `${LIFETIME_MINUTES}m`), expiresAt: expiresAt.toISO() }
}
