import type { HttpContext } from '@adonisjs/core/http'
import env from '#start/env'
import ApiException from '#exceptions/api_exception'
import { edgeRecordingValidator } from '#validators/edge_recording'
import { readBody, storeEdgeRecording, verifyRecordingUpload } from '#services/edge/edge_recordings'
import { linkCallRecording } from '#services/call_logs/call_recording'

/**
 * POST /api/edge/recordings: voip-edge hands over a finished <Record> (8 kHz WAV) and gets
 * back the signed /files/ URL it then posts as RecordingUrl (voicemail-complete keeps only
 * our own files). The body is binary, so the edge signature is checked here, over its digest.
 */
export default class EdgeRecordingsController {
  async store({ request, response }: HttpContext) {
    const secret = env.get('VOIP_EDGE_SIGNING_SECRET')?.release()
    if (!secret)
      throw new ApiException(
        500,
        'E_WEBHOOK_NOT_CONFIGURED',
        'VOIP_EDGE_SIGNING_SECRET is not configured',
      )
    const body = await readBody(request.request)
    verifyRecordingUpload(
      request.headers() as Record<string, string | undefined>,
      request.method(),
      request.url(true),
      body,
      secret,
    )
    const query = await request.validateUsing(edgeRecordingValidator, { data: request.qs() })
    const stored = await storeEdgeRecording(query.organizationId, query.callId, body)
    if (query.purpose === 'call')
      await linkCallRecording(query.organizationId, query.callId, stored.key)
    return response.created({ url: stored.url, size: stored.size })
  }
}
