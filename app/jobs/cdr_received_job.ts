import type { Logger } from '@adonisjs/core/logger'
import type Organization from '#models/organization'
import { enrichCdr } from '#services/calls/cdr_enrichment'
import { OrganizationJob, type OrganizationJobPayload } from '#jobs/organization_job'

export type CdrReceivedPayload = OrganizationJobPayload & { cdrId: number }

/**
 * Follow-up work on a stored CDR, off the webhook's response path: links the call log and
 * the CDR to the tenant's extension and DID (app/services/calls/cdr_enrichment.ts), which
 * is what lets PBX users see their own Cloudonix calls. Idempotent: a retried job finds
 * the fields set and changes nothing.
 */
export default class CdrReceivedJob extends OrganizationJob<CdrReceivedPayload> {
  static jobName = 'call.cdr_received'

  async handle(payload: CdrReceivedPayload, organization: Organization, logger: Logger) {
    const result = await enrichCdr(organization, payload.cdrId)
    if (!result) {
      logger.warn({ cdrId: payload.cdrId }, 'CDR no longer exists')
      return
    }
    logger.info({ cdrId: payload.cdrId, ...result }, 'CDR enriched')
  }
}
