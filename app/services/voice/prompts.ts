import Recording from '#models/recording'
import type { IvrPrompt } from '#enums/ivr'
import { playbackUrl } from '#services/media/prompt_url'
import { cxml, type CxmlNode } from '#services/voice/cxml'
import type { VoiceCall } from '#services/voice/voice_call'

/**
 * A configured prompt as a verb: its recording (a fresh signed URL, so it has not expired
 * when the media server fetches it) when that recording is still live and active, else its
 * text spoken, else the default text.
 */
export async function promptVerb(
  call: VoiceCall,
  prompt: IvrPrompt | null,
  fallbackText: string,
): Promise<CxmlNode> {
  if (prompt?.recordingId) {
    const recording = await Recording.query()
      .withScopes((scopes) => scopes.forOrganization(call.organization))
      .where('id', prompt.recordingId)
      .where('status', 'active')
      .whereNull('deleted_at')
      .first()
    if (recording && (recording.storageKey || recording.remoteUrl))
      return cxml.play(playbackUrl(recording).url)
  }
  if (prompt?.ttsText) {
    return cxml.say(prompt.ttsText, {
      voice: prompt.ttsVoice ?? undefined,
      language: prompt.ttsLanguage ?? undefined,
    })
  }
  return cxml.say(fallbackText)
}
