import type Extension from '#models/extension'
import type { ForwardingRule } from '#enums/extensions'
import { cxml } from '#services/voice/cxml'
import { dialUnanswered } from '#services/voice/call_request'
import { apology, deadEnd, NOT_AVAILABLE, type VoiceCall } from '#services/voice/voice_call'
import { findExtension } from '#services/voice/target_router'
import { forwardTo } from '#services/voice/forward_router'
import { offerVoicemail } from '#services/voice/voicemail_router'

export const activeRule = (rule: ForwardingRule) => rule.enabled && !!rule.destination

const RULE_FOR_STATUS = { busy: 'busy', failed: 'unreachable' } as const

/** Nobody took the call: the matching forwarding rule, then voicemail, then an apology. */
export async function unanswered(call: VoiceCall, extension: Extension, status: string) {
  const key = RULE_FOR_STATUS[status as keyof typeof RULE_FOR_STATUS] ?? 'noAnswer'
  const rule = extension.forwarding[key]
  if (activeRule(rule)) return forwardTo(call, extension, rule.destination!)
  return voicemailOrApology(call, extension)
}

function voicemailOrApology(call: VoiceCall, extension: Extension) {
  if (extension.voicemailEnabled) return offerVoicemail(call, extension.id)
  return apology(NOT_AVAILABLE)
}

/** `/api/voice/dial-result`: what follows a Dial to an extension or to its forward. */
export async function extensionDialResult(
  call: VoiceCall,
  extensionId: number,
  forwarded: boolean,
) {
  if (!dialUnanswered(call.request)) return cxml.response(cxml.hangup())
  const extension = await findExtension(call, { id: extensionId })
  if (!extension) return deadEnd(call, 'dial result for unknown extension', { extensionId })
  if (forwarded) return voicemailOrApology(call, extension)
  return unanswered(call, extension, call.request.dialStatus!)
}
