import type { Logger } from '@adonisjs/core/logger'
import type Organization from '#models/organization'
import CallDetailRecord from '#models/call_detail_record'
import { OrganizationJob, type OrganizationJobPayload } from '#jobs/organization_job'

export type CdrReceivedPayload = OrganizationJobPayload & { cdrId: number }

/**
 * Follow-up work on a stored CDR, off the webhook's response path. For now it only
 * re-reads the record under its organization and logs a summary; enrichment (costing,
 * recordings, tenants' own webhooks) will hang off this job.
 */
export default class CdrReceivedJob extends OrganizationJob<CdrReceivedPayload> {
  static jobName = 'call.cdr_received'

  async handle(payload: CdrReceivedPayload, organization: Organization, logger: Logger) {
    const cdr = await CallDetailRecord.query()
      .withScopes((s) => s.forOrganization(organization))
      .where('id', payload.cdrId)
      .first()
    if (!cdr) {
      logger.warn({ cdrId: payload.cdrId }, 'CDR no longer exists')
      return
    }
    logger.info(
      { cdrId: cdr.id, disposition: cdr.disposition, billsec: cdr.billsec },
      'CDR received',
    )
  }
}
