/**
 * `<Dial><Conference>` (contract §2, Cloudonix dial/conference): the room name (namespaced
 * per tenant by the bridge) and the attributes the mixer honours. Values outside their range
 * are clamped, unknown ones reported, as for the media verbs.
 */
import type { XmlElement } from '../routing/cxml.ts'

export interface ConferenceNoun {
  name: string
  beepOnEnter: boolean
  beepOnExit: boolean
  muted: boolean
  /** true/required: this participant starts the room (a host); false: waits for one. */
  startConferenceOnEnter: boolean
  endConferenceOnExit: boolean
  maxParticipants: number
  record: boolean
  recordingStatusCallback: string | null
  recordingStatusCallbackMethod: 'GET' | 'POST'
  ignored: string[]
}

const KNOWN = [
  'beep',
  'muted',
  'startConferenceOnEnter',
  'endConferenceOnExit',
  'maxParticipants',
  'record',
  'recordingStatusCallback',
  'recordingStatusCallbackMethod',
  'recordingStatusCallbackEvent',
  // Accepted and not acted upon (documented in the README).
  'dtmf',
  'holdMusic',
  'prompts',
  'statusCallback',
  'statusCallbackMethod',
  'statusCallbackEvent',
  'talkDetection',
  'trim',
]

const truthy = (value: string | undefined, fallback: boolean) => {
  if (value === undefined) return fallback
  const text = value.trim().toLowerCase()
  if (text === 'true' || text === 'required' || text === 'yes' || text === '1') return true
  if (text === 'false' || text === 'no' || text === '0') return false
  return fallback
}

/** Cloudonix's ceiling is 250; the edge's own room limit caps it further (bridge). */
export function parseConference(element: XmlElement): ConferenceNoun {
  const a = element.attributes
  const beep = (a.beep ?? 'true').trim()
  const max = Number(a.maxParticipants ?? 250)
  // Room names are at most 128 printable characters; the default room is `default`.
  const name =
    element.text
      .trim()
      .replace(/[^\x20-\x7e]/g, '')
      .slice(0, 128) || 'default'
  return {
    name,
    beepOnEnter: beep === 'onEnter' || (beep !== 'onExit' && truthy(beep, true)),
    beepOnExit: beep === 'onExit' || (beep !== 'onEnter' && truthy(beep, true)),
    muted: truthy(a.muted, false),
    startConferenceOnEnter: truthy(a.startConferenceOnEnter, true),
    endConferenceOnExit: truthy(a.endConferenceOnExit, false),
    maxParticipants: Number.isFinite(max) ? Math.min(Math.max(Math.trunc(max), 1), 250) : 250,
    record: (a.record ?? 'do-not-record') === 'record-from-start',
    recordingStatusCallback: a.recordingStatusCallback ?? null,
    recordingStatusCallbackMethod:
      a.recordingStatusCallbackMethod?.toUpperCase() === 'GET' ? 'GET' : 'POST',
    ignored: Object.keys(a).filter((key) => !KNOWN.includes(key)),
  }
}
