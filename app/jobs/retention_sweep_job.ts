import type { Logger } from '@adonisjs/core/logger'
import queueService from '#services/queue/queue_service'
import RetentionService from '#services/retention/retention_service'
import RetentionJob from '#jobs/retention_job'

/* Daily at 03:17 (worker's clock): off the hour, when call volume is lowest. */
export const RETENTION_CRON = '17 3 * * *'

/**
 * The repeatable job behind the daily retention run. It carries no organization: it fans
 * out one RetentionJob per organization, so each tenant's purge is its own job (retried,
 * logged and failed on its own) and one tenant's backlog never delays another's.
 */
export default class RetentionSweepJob {
  static jobName = 'retention.sweep'
  runsWhenSuspended = true

  async handle() {}

  async run(_payload: unknown, logger: Logger) {
    const ids = await new RetentionService().organizationIds()
    const day = new Date().toISOString().slice(0, 10)
    for (const organizationId of ids) {
      // The job id makes a re-run of the sweep on the same day a no-op per organization.
      await queueService.dispatch(
        RetentionJob,
        { organizationId },
        { jobId: `retention:${organizationId}:${day}` },
      )
    }
    logger.info({ organizations: ids.length }, 'retention sweep dispatched')
  }

  /** Registers the repeatable sweep; idempotent (Bull keys repeatables by name and cron). */
  static schedule() {
    return queueService
      .queue()
      .add(
        RetentionSweepJob.jobName,
        {},
        { repeat: { cron: RETENTION_CRON }, jobId: 'retention.sweep' },
      )
  }
}
