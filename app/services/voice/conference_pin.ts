import { createHash, timingSafeEqual } from 'node:crypto'
import { activeRoom, askPin, join } from '#services/voice/conference_router'
import { apology, deadEnd, type VoiceCall } from '#services/voice/voice_call'

const PIN_ATTEMPTS = 3

/* Digests first, so the comparison takes the same time whatever was typed. */
function samePin(typed: string | null, pin: string | null) {
  if (typed === null || pin === null) return false
  const digest = (value: string) => createHash('sha256').update(value).digest()
  return timingSafeEqual(digest(typed), digest(pin))
}

/** `/api/voice/conference-pin`: the PINs are compared decrypted, here and nowhere else. */
export async function conferencePin(call: VoiceCall, id: number, attempt: number) {
  const room = await activeRoom(call, id)
  if (!room) return deadEnd(call, 'no active conference room', { id })
  const digits = call.request.digits
  if (samePin(digits, room.hostPin)) return join(room, true)
  if (samePin(digits, room.pin)) return join(room, false)
  // Rooms with only a host PIN admit everyone else as participants (silence included).
  if (room.pin === null) return join(room, false)
  if (attempt + 1 >= PIN_ATTEMPTS) return apology('Sorry, that PIN is not valid. Goodbye.')
  return askPin(room, attempt + 1, 'Sorry, that PIN is not valid.')
}
