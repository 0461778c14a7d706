import logger from '@adonisjs/core/services/logger'
import type Organization from '#models/organization'
import type { RoutableNumber } from '#services/phone_numbers/routable_number'
import { organizationGeneration, type Generation } from '#services/voice/routing_cache'
import { routingSettings } from '#services/voice/routing_reads'
import { renderCxml, cxml, type CxmlNode } from '#services/voice/cxml'
import { parseCallRequest } from '#services/voice/call_request'
import { placedByTenant, resolveCallTenant } from '#services/voice/call_tenant'
import { apology, deadEnd, type VoiceCall } from '#services/voice/voice_call'
import { findExtension, routeTarget } from '#services/voice/target_router'
import { routeExtension } from '#services/voice/extension_router'
import { reach } from '#services/voice/forward_router'
import { VOICEMAIL_ACCESS_CODE, enterVoicemailMenu } from '#services/voice/voicemail_menu'

export type VoiceInput = {
  body: unknown
  query: Record<string, unknown>
  headers: Record<string, unknown>
  requestId: string
  /* The tenant the webhook middleware authenticated; the call must resolve to it. */
  authenticated: Organization
  /* What the webhook middleware already resolved, so routing does not read it twice. */
  resolved?: { generation: Generation; calledNumber: string | null; did: RoutableNumber | null }
}

const NOT_CONFIGURED = 'Sorry, the number you have called is not in service. Goodbye.'
const FAILURE = 'Sorry, we cannot connect your call right now. Goodbye.'

/**
 * Runs one routing step and always answers CXML: an unknown tenant or number gets the
 * not-in-service apology, and any failure is logged with the request id and answered
 * with an apology too, because a 500 leaves the caller in dead air.
 */
export async function answerVoice(
  input: VoiceInput,
  step: (call: VoiceCall) => Promise<CxmlNode>,
): Promise<string> {
  try {
    const request = parseCallRequest(input.body, input.query, input.headers)
    const known = input.resolved
    const did =
      known && known.calledNumber === (request.to || null) ? { did: known.did } : undefined
    const tenant = await resolveCallTenant(request, input.authenticated, did)
    if (!tenant) {
      logger.warn(
        { requestId: input.requestId, organizationId: input.authenticated.id },
        'voice request for no routable tenant or number',
      )
      return renderCxml(apology(NOT_CONFIGURED))
    }
    const generation = known?.generation ?? (await organizationGeneration(tenant.organization.id))
    const settings = await routingSettings({ organization: tenant.organization, generation })
    const call: VoiceCall = {
      organization: tenant.organization,
      request,
      did: tenant.did,
      requestId: input.requestId,
      generation,
      noAnswerTimeout: settings.noAnswerTimeout,
      hops: 0,
    }
    return renderCxml(await step(call))
  } catch (error) {
    logger.error({ requestId: input.requestId, err: error }, 'voice routing failed')
    return renderCxml(apology(FAILURE))
  }
}

/**
 * `/api/voice/route`: a tenant's own phone dials an extension number, a DID or an outside
 * number; a call from outside reaches the target its DID routes to.
 */
export async function routeCall(call: VoiceCall): Promise<CxmlNode> {
  const { request } = call
  if (placedByTenant(request)) {
    if (request.to === VOICEMAIL_ACCESS_CODE) return enterVoicemailMenu(call)
    const extension = await findExtension(call, { number: request.to })
    if (extension) return routeExtension(call, extension)
  }
  const did = call.did
  if (did) return routeTarget(call, { type: did.routing.type, id: did.routing.id })
  if (placedByTenant(request)) return dialOut(call)
  return apology(NOT_CONFIGURED)
}

/* Only a live phone of the tenant may dial out, and only where the outbound rules allow. */
async function dialOut(call: VoiceCall) {
  const caller = await findExtension(call, { number: call.request.from })
  if (!caller || caller.status !== 'active' || caller.type !== 'user')
    return deadEnd(call, 'outside call from a non-extension')
  const target = await reach(call, call.request.to)
  if ('blocked' in target) return apology('Sorry, this call is not permitted. Goodbye.')
  return cxml.response(cxml.dial({ timeout: call.noAnswerTimeout }, target.noun))
}
