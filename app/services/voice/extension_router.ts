import type Extension from '#models/extension'
import { cxml, type CxmlNode } from '#services/voice/cxml'
import { actionUrl, deadEnd, extensionNoun, type VoiceCall } from '#services/voice/voice_call'
import { routeTarget } from '#services/voice/target_router'
import { forwardTo, reach } from '#services/voice/forward_router'
import { activeRule as active, unanswered } from '#services/voice/extension_unanswered'
import { dialRecording } from '#services/voice/call_recording_policy'

/* Extension types that only alias a group, menu or room for internal dialling. */
const ALIASES = {
  ring_group: ['ring_group', 'ring_group_id'],
  ivr: ['ivr_menu', 'ivr_menu_id'],
  conference: ['conference_room', 'conference_room_id'],
} as const

/** A user's phone (and follow-me numbers) or whatever a non-user extension stands for. */
export async function routeExtension(call: VoiceCall, extension: Extension): Promise<CxmlNode> {
  if (extension.status !== 'active')
    return deadEnd(call, 'extension inactive', { id: extension.id })
  if (extension.type in ALIASES) {
    const [type, key] = ALIASES[extension.type as keyof typeof ALIASES]
    const id = Number(extension.configuration?.[key])
    return routeTarget(call, { type, id: Number.isInteger(id) && id > 0 ? id : null })
  }
  if (extension.type === 'forward') {
    const destination = extension.configuration?.forward_to
    if (typeof destination !== 'string') return deadEnd(call, 'forward without destination')
    return forwardTo(call, extension, destination)
  }
  if (extension.type === 'ai_assistant') return dialAssistant(call, extension)
  return ringUser(call, extension)
}

function dialAssistant(call: VoiceCall, extension: Extension) {
  const { provider, phone_number: phoneNumber } = extension.configuration ?? {}
  if (typeof provider !== 'string' || typeof phoneNumber !== 'string')
    return deadEnd(call, 'assistant not configured', { id: extension.id })
  return cxml.response(cxml.dial({}, cxml.service(phoneNumber, { provider })))
}

async function ringUser(call: VoiceCall, extension: Extension) {
  const { forwarding } = extension
  if (active(forwarding.always)) return forwardTo(call, extension, forwarding.always.destination!)
  if (extension.dndEnabled) return unanswered(call, extension, 'busy')
  const own = extensionNoun(call, extension)
  const nouns = own ? [own] : []
  if (extension.followMe.enabled) {
    for (const entry of extension.followMe.numbers) {
      const target = await reach(call, entry.number)
      if ('noun' in target) nouns.push(target.noun)
    }
  }
  if (nouns.length === 0) return deadEnd(call, 'extension has no phone', { id: extension.id })
  const timeout = active(forwarding.noAnswer)
    ? (forwarding.noAnswer.timeoutSeconds ?? call.noAnswerTimeout)
    : call.noAnswerTimeout
  const action = actionUrl('dial-result', { extension: extension.id })
  const record = await dialRecording(call, extension)
  return cxml.response(cxml.dial({ timeout, action, ...record }, ...nouns))
}
