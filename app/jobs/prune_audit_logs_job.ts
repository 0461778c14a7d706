import { DateTime } from 'luxon'
import type { Logger } from '@adonisjs/core/logger'
import type Organization from '#models/organization'
import { OrganizationJob, type OrganizationJobPayload } from '#jobs/organization_job'

export type PruneAuditLogsPayload = OrganizationJobPayload & { retentionDays: number }

/**
 * Deletes one organization's audit rows older than its retention period. Runs for
 * suspended organizations too: retention promises hold whatever the account state.
 */
export default class PruneAuditLogsJob extends OrganizationJob<PruneAuditLogsPayload> {
  static jobName = 'audit.prune'
  runsWhenSuspended = true

  async handle(payload: PruneAuditLogsPayload, organization: Organization, logger: Logger) {
    const cutoff = DateTime.now().minus({ days: Math.max(1, payload.retentionDays) })
    const deleted = await organization
      .related('auditLogs')
      .query()
      .where('created_at', '<', cutoff.toJSDate())
      .delete()
    logger.info({ deleted, cutoff: cutoff.toISO() }, 'audit logs pruned')
  }
}
