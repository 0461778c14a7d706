import type Organization from '#models/organization'
import CallLog from '#models/call_log'
import OutboundRule from '#models/outbound_rule'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'
import { extensionsOf } from '#services/extensions/extension_lookup'
import { evaluateOutbound } from '#services/trunks/outbound_policy'
import { outboundSuspensionOf } from '#services/fraud/outbound_suspension'
import { fieldError } from '#services/shared/field_error'
import { EdgeControlClient, type EdgeAnswer } from '#services/calls/edge_control_client'
import { idParam } from '#transformers/params'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

/* A call is live until the call state machine moves it to a terminal state. */
export const LIVE_STATES = ['initiated', 'ringing', 'answered'] as const

const E164 = /^\+[1-9]\d{6,14}$/

export type TransferTarget =
  { kind: 'extension'; number: string } | { kind: 'pstn'; number: string }

/**
 * Live call control for one organization: the API controller and the web app's live-calls
 * page both go through here. The list comes from call_logs (kept current by session
 * updates and CDRs); hangup and transfer are sent to voip-edge's signed control API, and
 * every command the edge carried out is audited.
 */
export default class CallControl {
  activeCalls(organization: Organization) {
    return CallLog.query()
      .withScopes((scopes) => scopes.forOrganization(organization))
      .whereIn('status', [...LIVE_STATES])
      .whereNull('ended_at')
  }

  /** Another organization's call, an unknown id or a call that already ended: 404. */
  async findActive(organization: Organization, id: unknown) {
    const call = await this.activeCalls(organization).where('id', idParam(id)).first()
    if (!call) throw ApiException.notFound('Active call')
    return call
  }

  async hangup(organization: Organization, id: unknown, actor: Actor) {
    const call = await this.findActive(organization, id)
    const answer = await this.#sendToCallOwner(
      `/v1/calls/${encodeURIComponent(call.callId)}/hangup`,
    )
    this.#assertHandled(answer, 'hang up')
    await AuditTrail.record(actor, {
      action: 'call.hung_up',
      subjectType: 'call',
      subjectId: call.id,
      metadata: { callId: call.callId, from: call.fromNumber, to: call.toNumber },
    })
    return call
  }

  async transfer(organization: Organization, id: unknown, rawTarget: string, actor: Actor) {
    const call = await this.findActive(organization, id)
    const target = await this.resolveTarget(organization, rawTarget)
    const answer = await this.#sendToCallOwner(
      `/v1/calls/${encodeURIComponent(call.callId)}/transfer`,
      { target: target.number },
    )
    if (answer.status === 422)
      throw fieldError(
        'target',
        `voip-edge refused the transfer target: ${String(answer.body.message ?? answer.body.error ?? 'invalid')}`,
        'edge',
      )
    this.#assertHandled(answer, 'transfer')
    await AuditTrail.record(actor, {
      action: 'call.transferred',
      subjectType: 'call',
      subjectId: call.id,
      metadata: { callId: call.callId, target: target.number, targetKind: target.kind },
    })
    return { call, target }
  }

  /**
   * A transfer may only go where the tenant could call anyway: one of its own live
   * extensions, or an E.164 number its outbound rules (whitelist, fraud defaults) allow.
   */
  async resolveTarget(organization: Organization, raw: string): Promise<TransferTarget> {
    const value = raw.trim()
    if (E164.test(value)) {
      if (await outboundSuspensionOf(organization.id))
        throw fieldError(
          'target',
          'Outbound calling is suspended by the toll-fraud guard: lift the suspension first',
          'outboundSuspended',
        )
      const rules = await OutboundRule.query()
        .withScopes((scopes) => scopes.forOrganization(organization))
        .whereNull('deleted_at')
      const decision = evaluateOutbound(value, rules)
      if (!decision.allowed)
        throw fieldError(
          'target',
          `Outbound calls to ${value} are not allowed by this organization's outbound rules (${decision.reason})`,
          'outboundPolicy',
        )
      return { kind: 'pstn', number: value }
    }
    const extension = await extensionsOf(organization)
      .where('number', value)
      .whereNull('deleted_at')
      .where('status', 'active')
      .first()
    if (!extension)
      throw fieldError(
        'target',
        'The target must be an active extension number of this organization or an E.164 number (+…)',
        'transferTarget',
      )
    return { kind: 'extension', number: extension.number }
  }

  /**
   * Sends the command to every edge at once: only the edge carrying the call acts, the
   * others answer E_CALL_NOT_FOUND. While an edge cannot be asked, "no such call" from the
   * rest proves nothing, so that failure is what the caller gets.
   */
  async #sendToCallOwner(path: string, payload?: unknown): Promise<EdgeAnswer> {
    const edges = EdgeControlClient.allFromEnv()
    const settled = await Promise.allSettled(
      edges.map((edge) => edge.request('POST', path, payload)),
    )
    const answers = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []))
    const owner = answers.find(
      (answer) => !(answer.status === 404 && answer.body.error === 'E_CALL_NOT_FOUND'),
    )
    if (owner) return owner
    const failure = settled.find((s) => s.status === 'rejected')
    if (failure) throw failure.reason
    return answers[0]
  }

  #assertHandled(answer: EdgeAnswer, what: string) {
    if (answer.status === 200) return
    if (answer.status === 404 && answer.body.error === 'E_CALL_NOT_FOUND')
      throw new ApiException(
        404,
        'E_CALL_NOT_FOUND',
        'voip-edge has no such call in progress (it may have just ended)',
      )
    if (answer.status === 404)
      throw new ApiException(503, 'E_EDGE_UNAVAILABLE', `This voip-edge cannot ${what} calls yet`)
    if (answer.status === 409 && answer.body.error === 'E_CALL_NOT_ANSWERED')
      throw new ApiException(
        409,
        'E_CALL_NOT_ANSWERED',
        'Only an answered call can be transferred; this one is still ringing',
      )
    throw new ApiException(
      502,
      'E_EDGE_REJECTED',
      `voip-edge answered ${answer.status} to the ${what} request`,
    )
  }
}
