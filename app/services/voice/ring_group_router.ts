import type RingGroup from '#models/ring_group'
import type RingGroupMember from '#models/ring_group_member'
import { idlestFirst, markOffered, nextRotation } from '#services/voice/ring_group_strategy'
import { dialRecording } from '#services/voice/call_recording_policy'
import { routingRingGroup } from '#services/voice/routing_reads'
import { cxml, type CxmlNode } from '#services/voice/cxml'
import { dialUnanswered } from '#services/voice/call_request'
import {
  actionUrl,
  apology,
  deadEnd,
  extensionNoun,
  type VoiceCall,
} from '#services/voice/voice_call'
import { routeTarget, type VoiceTarget } from '#services/voice/target_router'

/** Hunt state carried in the action URL, so any app instance can continue the call. */
export type HuntState = { stage: number; start: number }

async function liveGroup(call: VoiceCall, id: number) {
  const group = await routingRingGroup(call, id)
  return group?.status === 'active' ? group : null
}

export async function startRingGroup(call: VoiceCall, id: number) {
  const group = await liveGroup(call, id)
  if (!group) return deadEnd(call, 'no active ring group', { id })
  const start = group.strategy === 'round_robin' ? await nextRotation(group) : 0
  return ringStage(call, group, { stage: 0, start })
}

/**
 * One stage of the hunt. Simultaneous rings every member at once, once per ring turn;
 * the other strategies ring one member per stage, members × turns stages in all. The
 * member list is re-read at every stage, so an edit is seen by the very next stage.
 */
async function ringStage(call: VoiceCall, group: RingGroup, hunt: HuntState): Promise<CxmlNode> {
  // A member calling its own group must not ring (and answer) itself.
  const members = group.members.filter((m) => m.extension.number !== call.request.from)
  const turns = Math.max(1, group.ringTurns)
  const stages = group.strategy === 'simultaneous' ? turns : members.length * turns
  if (members.length === 0 || hunt.stage >= stages) return fallback(call, group)
  let offered: RingGroupMember[]
  if (group.strategy === 'simultaneous') offered = members
  else if (group.strategy === 'longest_idle') offered = idlestFirst(members).slice(0, 1)
  else offered = [members[(hunt.start + hunt.stage) % members.length]]
  if (group.strategy === 'longest_idle') await markOffered(offered)
  const nouns = offered.map((m) => extensionNoun(call, m.extension)).filter((n) => n !== null)
  const action = actionUrl('ring-group-callback', {
    group: group.id,
    stage: hunt.stage,
    start: hunt.start,
  })
  const record = await dialRecording(call)
  return cxml.response(cxml.dial({ timeout: group.timeout, action, ...record }, ...nouns))
}

const FALLBACK_TARGETS: Record<string, VoiceTarget['type']> = {
  extension: 'extension',
  voicemail: 'voicemail',
  ring_group: 'ring_group',
  ivr_menu: 'ivr_menu',
}

function fallback(call: VoiceCall, group: RingGroup) {
  const type = FALLBACK_TARGETS[group.fallbackAction]
  if (!type) return apology('Sorry, no one is available to take your call. Goodbye.')
  return routeTarget(call, { type, id: group.fallbackTargetId })
}

/** `/api/voice/ring-group-callback`: an answered stage ends the call, others hunt on. */
export async function ringGroupCallback(call: VoiceCall, id: number, hunt: HuntState) {
  if (!dialUnanswered(call.request)) return cxml.response(cxml.hangup())
  const group = await liveGroup(call, id)
  if (!group) return deadEnd(call, 'no active ring group', { id })
  return ringStage(call, group, { ...hunt, stage: hunt.stage + 1 })
}
