import type ConferenceRoom from '#models/conference_room'
import { routingRoom } from '#services/voice/routing_reads'
import { cxml, type CxmlNode } from '#services/voice/cxml'
import { actionUrl, deadEnd, type VoiceCall } from '#services/voice/voice_call'

export function activeRoom(call: VoiceCall, id: number) {
  return routingRoom(call, id)
}

/* Namespaced by tenant: two tenants' room 1 must never be the same bridge. */
export function conferenceName(room: ConferenceRoom) {
  return `org${room.organizationId}-room${room.id}`
}

/**
 * The bridge with the room's limits. With wait-for-host, participants wait (music) until a
 * host arrives and the conference ends when the host leaves; hosts are known only by the
 * host PIN, so a room without one cannot tell them apart and simply starts.
 */
export function join(room: ConferenceRoom, host: boolean) {
  const waits = room.waitForHost && room.hostPin !== null && !host
  return cxml.response(
    cxml.dial(
      {},
      cxml.conference(conferenceName(room), {
        maxParticipants: room.maxParticipants,
        muted: room.muteOnEntry && !host,
        beep: room.announceJoinLeave ? 'true' : 'false',
        holdMusic: room.musicOnHold,
        record: room.record ? 'record-from-start' : 'do-not-record',
        startConferenceOnEnter: waits ? 'false' : 'true',
        endConferenceOnExit: host && room.waitForHost,
      }),
    ),
  )
}

export function askPin(room: ConferenceRoom, attempt: number, lead?: string): CxmlNode {
  const ask = room.pin
    ? 'Please enter the conference PIN, followed by the pound key.'
    : 'If you are the host, enter the host PIN. Otherwise, press the pound key.'
  const prompts = [lead, ask]
  return cxml.response(
    cxml.gather(
      {
        action: actionUrl('conference-pin', { room: room.id, attempt }),
        input: 'dtmf',
        finishOnKey: '#',
        timeout: 5,
        actionOnEmptyResult: true,
      },
      ...prompts.filter((p): p is string => !!p).map((text) => cxml.say(text)),
    ),
  )
}

export async function enterConference(call: VoiceCall, id: number) {
  const room = await activeRoom(call, id)
  if (!room) return deadEnd(call, 'no active conference room', { id })
  if (room.pin || room.hostPin) return askPin(room, 0)
  return join(room, false)
}
