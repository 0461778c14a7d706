import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import queueService from '#services/queue/queue_service'

/**
 * The dead-letter list: jobs that exhausted their attempts stay in Bull's failed set
 * (config/queue.ts keeps them), and are shown here with what is needed to decide on a
 * `queue:retry`. Payloads are not printed: they may carry tenant data.
 */
export default class QueueFailed extends BaseCommand {
  static commandName = 'queue:failed'
  static description = 'List jobs that failed all their attempts (the dead-letter set)'
  static options: CommandOptions = { startApp: true }

  @flags.number({ description: 'How many jobs to show, newest first', default: 50 })
  declare limit: number

  async run() {
    try {
      const jobs = await queueService.queue().getFailed(0, Math.max(1, this.limit) - 1)
      if (jobs.length === 0) {
        this.logger.info('no failed jobs')
        return
      }
      const table = this.ui.table()
      table.head(['id', 'job', 'organizationId', 'attempts', 'failed at', 'last error'])
      for (const job of jobs) {
        table.row([
          String(job.id),
          job.name,
          String(job.data?.organizationId ?? '-'),
          String(job.attemptsMade),
          job.finishedOn ? new Date(job.finishedOn).toISOString() : '-',
          (job.failedReason ?? '').split('\n')[0].slice(0, 120),
        ])
      }
      table.render()
    } finally {
      await queueService.close()
    }
  }
}
