/**
 * The media verbs of CXML (contract §2.2–2.3): Say, Play, Gather and Record, with their
 * nested prompts. Attribute values are clamped to sane ranges instead of rejected: an app
 * written for Cloudonix must not lose a call over `timeout="0"` or an unknown attribute.
 * Unknown attributes are reported (`ignored`) so the interpreter can log them.
 */
import type { XmlElement } from '../routing/cxml.ts'

export interface SayVerb {
  verb: 'Say'
  text: string
  voice: string
  language: string
  loop: number
  answer: boolean
  ignored: string[]
}

export interface PlayVerb {
  verb: 'Play'
  url: string
  loop: number
  answer: boolean
  ignored: string[]
}

/** Pause inside Gather/Record: a silent stretch of the prompt. */
export interface PromptPause {
  verb: 'Pause'
  lengthSec: number
}

export type Prompt = SayVerb | PlayVerb | PromptPause

export interface GatherVerb {
  verb: 'Gather'
  action: string | null
  method: 'GET' | 'POST'
  numDigits: number | null
  finishOnKey: string
  /** Seconds to wait for each digit once the prompt has ended. */
  timeoutSec: number
  /** Seconds to wait for the first digit (cloudonix `maxTimeout`); defaults to `timeout`. */
  firstDigitTimeoutSec: number
  actionOnEmptyResult: boolean
  interruptible: boolean
  prompts: Prompt[]
  ignored: string[]
}

export interface RecordVerb {
  verb: 'Record'
  action: string | null
  method: 'GET' | 'POST'
  /** Silence, in seconds, that ends the recording. */
  timeoutSec: number
  finishOnKey: string
  maxLengthSec: number
  playBeep: boolean
  trimSilence: boolean
  prompts: Prompt[]
  ignored: string[]
}

export type MediaVerb = SayVerb | PlayVerb | GatherVerb | RecordVerb

const KNOWN: Record<string, string[]> = {
  Say: ['voice', 'language', 'loop', 'answer', 'statusCallback', 'statusCallbackMethod'],
  Play: ['loop', 'answer', 'digits', 'statusCallback', 'statusCallbackMethod'],
  Gather: [
    'action',
    'method',
    'input',
    'finishOnKey',
    'numDigits',
    'timeout',
    'maxTimeout',
    'actionOnEmptyResult',
    'interruptible',
    'language',
    'speechTimeout',
    'speechEngine',
    'maxDuration',
    'speechDetection',
  ],
  Record: [
    'action',
    'method',
    'timeout',
    'finishOnKey',
    'maxLength',
    'playBeep',
    'trim',
    'recordingStatusCallback',
    'recordingStatusCallbackMethod',
    'recordingStatusCallbackEvent',
  ],
}

function number(value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || value.trim() === '') return fallback
  const parsed = Number(value)
  if (!Number.isFinite(parsed)) return fallback
  return Math.min(Math.max(parsed, min), max)
}

function flag(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback
  const text = value.trim().toLowerCase()
  if (text === 'true' || text === '1' || text === 'yes') return true
  if (text === 'false' || text === '0' || text === 'no') return false
  return fallback
}

const method = (value: string | undefined): 'GET' | 'POST' =>
  value?.toUpperCase() === 'GET' ? 'GET' : 'POST'

function ignoredAttributes(element: XmlElement): string[] {
  const known = KNOWN[element.name] ?? []
  return Object.keys(element.attributes).filter((name) => !known.includes(name))
}

/** SSML is spoken as its text: tags are dropped, whitespace collapsed. */
function spokenText(element: XmlElement): string {
  const parts = [element.text, ...element.children.map((child) => spokenText(child))]
  return parts.join(' ').replace(/\s+/g, ' ').trim()
}

function say(element: XmlElement): SayVerb {
  return {
    verb: 'Say',
    text: spokenText(element).slice(0, 4000),
    voice: element.attributes.voice ?? 'woman',
    language: element.attributes.language ?? 'en-US',
    // loop=0 means "forever" in TwiML; a prompt that never ends is capped at 100 rounds.
    loop: number(element.attributes.loop, 1, 0, 100) || 100,
    answer: flag(element.attributes.answer, true),
    ignored: ignoredAttributes(element),
  }
}

function play(element: XmlElement): PlayVerb {
  return {
    verb: 'Play',
    url: element.text.trim(),
    loop: number(element.attributes.loop, 1, 0, 100) || 100,
    answer: flag(element.attributes.answer, true),
    ignored: ignoredAttributes(element),
  }
}

function prompts(element: XmlElement, unknown: string[]): Prompt[] {
  const result: Prompt[] = []
  for (const child of element.children) {
    if (child.name === 'Say') result.push(say(child))
    else if (child.name === 'Play') result.push(play(child))
    else if (child.name === 'Pause')
      result.push({ verb: 'Pause', lengthSec: number(child.attributes.length, 1, 0, 60) })
    else unknown.push(child.name)
  }
  return result
}

/** Returns null for names that are not media verbs. */
export function parseMediaVerb(element: XmlElement): MediaVerb | null {
  const a = element.attributes
  switch (element.name) {
    case 'Say':
      return say(element)
    case 'Play':
      return play(element)
    case 'Gather': {
      const ignored = ignoredAttributes(element)
      const nested = prompts(element, ignored)
      const timeoutSec = number(a.timeout, 5, 1, 60)
      const numDigits = a.numDigits === undefined ? null : number(a.numDigits, 1, 1, 64)
      return {
        verb: 'Gather',
        action: a.action ?? null,
        method: method(a.method),
        numDigits,
        finishOnKey: (a.finishOnKey ?? '#').slice(0, 1),
        timeoutSec,
        firstDigitTimeoutSec:
          a.maxTimeout === undefined ? timeoutSec : number(a.maxTimeout, 30, 1, 300),
        actionOnEmptyResult: flag(a.actionOnEmptyResult, false),
        interruptible: flag(a.interruptible, true),
        prompts: nested,
        ignored,
      }
    }
    case 'Record': {
      const ignored = ignoredAttributes(element)
      return {
        verb: 'Record',
        action: a.action ?? null,
        method: method(a.method),
        timeoutSec: number(a.timeout, 5, 0, 600),
        finishOnKey: a.finishOnKey ?? '1234567890*#',
        maxLengthSec: number(a.maxLength, 3600, 1, 14_400),
        playBeep: flag(a.playBeep, true),
        trimSilence: (a.trim ?? 'trim-silence') !== 'do-not-trim',
        prompts: prompts(element, ignored),
        ignored,
      }
    }
    default:
      return null
  }
}
