import type Extension from '#models/extension'
import type { VoiceCall } from '#services/voice/voice_call'
import { routingSettings } from '#services/voice/routing_reads'

/**
 * The Dial `record` attribute of a call ringing `extension` (contract §2): the edge records
 * the bridged call and uploads it for the call log. The extension's own choice
 * (configuration.record_calls) wins over the organization's recording setting.
 */
export async function dialRecording(
  call: VoiceCall,
  extension?: Extension,
): Promise<{ record?: string }> {
  const own = extension?.configuration?.record_calls
  if (own === 'never') return {}
  if (own === 'always') return { record: 'record-from-answer' }
  const settings = await routingSettings({
    organization: call.organization,
    generation: call.generation,
  })
  return settings.recordingEnabled ? { record: 'record-from-answer' } : {}
}
