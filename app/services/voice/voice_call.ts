import logger from '@adonisjs/core/services/logger'
import type Organization from '#models/organization'
import type Extension from '#models/extension'
import { cxml, type CxmlNode } from '#services/voice/cxml'
import type { CallRequest } from '#services/voice/call_request'
import type { RoutableNumber } from '#services/phone_numbers/routable_number'
import type { Generation } from '#services/voice/routing_cache'

/** One routing decision: whose call it is and what the platform sent. */
export type VoiceCall = {
  organization: Organization
  request: CallRequest
  /* The called number when it is one of this tenant's DIDs. */
  did: RoutableNumber | null
  requestId: string
  /* The organization's routing-cache generation, read once per decision. */
  generation: Generation
  noAnswerTimeout: number
  /* Targets reached in this decision; bounds chains such as fallback → group → fallback. */
  hops: number
}

export const MAX_HOPS = 8

/* Where a verb's result comes back; relative, so it resolves against the request's URL. */
export function actionUrl(path: string, params: Record<string, string | number>) {
  const query = new URLSearchParams(
    Object.entries(params).map(([key, value]): [string, string] => [key, String(value)]),
  )
  return `/api/voice/${path}?${query.toString()}`
}

/** A spoken apology and a billable end: what every dead end produces. */
export function apology(text: string): CxmlNode {
  return cxml.response(cxml.say(text), cxml.hangup())
}

export const NOT_AVAILABLE = 'Sorry, the party you are calling is not available. Goodbye.'

/** Logs why the call ended in an apology (never the caller's data beyond ids). */
export function deadEnd(call: VoiceCall, reason: string, details: Record<string, unknown> = {}) {
  logger.warn(
    { requestId: call.requestId, organizationId: call.organization.id, reason, ...details },
    'voice routing dead end',
  )
  return apology(NOT_AVAILABLE)
}

/** The noun that rings an extension: its registered phone on the tenant's SIP domain. */
export function extensionNoun(call: VoiceCall, extension: Extension): CxmlNode | null {
  if (extension.type === 'user') {
    const username = extension.sipUsername ?? extension.number
    return cxml.sip(`sip:${username}@${call.organization.sipDomain}`)
  }
  const uri = extension.sipUri
  return uri ? cxml.sip(uri) : null
}
