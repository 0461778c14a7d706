import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import env from '#start/env'
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

/** The API's download link for a call's recording: signed, valid ten minutes. */
export function callRecordingUrl(log: CallLog) {
  const path = callRecordingPath(log)
  if (path === null) return null
  return {
    url: new URL(path, env.get('APP_URL')).toString(),
    expiresAt: DateTime.now().plus({ minutes: 10 }).toISO(),
  }
}

/**
 * A call recording uploaded by the edge after the call: linked to the organization's call
 * log of that Call-ID. The log exists from the call's first session update; when it does
 * not (yet), the file stays stored and the miss is logged with the key for an operator.
 */
export async function linkCallRecording(organizationId: number, callId: string, key: string) {
  const updated = await db
    .from('call_logs')
    .where('organization_id', organizationId)
    .where('call_id', callId)
    .update({ recording_key: key, updated_at: new Date() })
  const count = Array.isArray(updated) ? updated.length : Number(updated)
  if (count === 0)
    logger.warn({ organizationId, callId, key }, 'call recording for an unknown call log')
  return count > 0
}
