import { routingExtension } from '#services/voice/routing_reads'
import { cxml, type CxmlNode } from '#services/voice/cxml'
import { deadEnd, MAX_HOPS, type VoiceCall } from '#services/voice/voice_call'
import { routeExtension } from '#services/voice/extension_router'
import { startRingGroup } from '#services/voice/ring_group_router'
import { presentMenu } from '#services/voice/ivr_router'
import { routeBusinessHours } from '#services/voice/business_hours_router'
import { enterConference } from '#services/voice/conference_router'
import { offerVoicemail } from '#services/voice/voicemail_router'

export type VoiceTarget = {
  type:
    | 'extension'
    | 'ring_group'
    | 'ivr_menu'
    | 'business_hours'
    | 'conference_room'
    | 'voicemail'
    | 'hangup'
  id: number | null
}

/** A live extension of the call's organization; another tenant's id finds nothing. */
export function findExtension(call: VoiceCall, where: { id: number } | { number: string }) {
  return routingExtension(call, where)
}

/**
 * Every target a number, an IVR key, a schedule or a fallback can name, resolved inside
 * the call's organization. Chains are bounded so a misconfigured loop (group A falls back
 * to group B, which falls back to A) ends in an apology instead of a request storm.
 */
export async function routeTarget(call: VoiceCall, target: VoiceTarget): Promise<CxmlNode> {
  call.hops += 1
  if (call.hops > MAX_HOPS) return deadEnd(call, 'routing loop', { target })
  if (target.type === 'hangup') return cxml.response(cxml.hangup())
  if (target.id === null) return deadEnd(call, 'target without id', { target })
  switch (target.type) {
    case 'extension': {
      const extension = await findExtension(call, { id: target.id })
      return extension ? routeExtension(call, extension) : deadEnd(call, 'no extension', target)
    }
    case 'ring_group':
      return startRingGroup(call, target.id)
    case 'ivr_menu':
      return presentMenu(call, target.id)
    case 'business_hours':
      return routeBusinessHours(call, target.id)
    case 'conference_room':
      return enterConference(call, target.id)
    case 'voicemail':
      return offerVoicemail(call, target.id)
  }
}
