import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import queueService from '#services/queue/queue_service'
import { JOBS } from '#jobs/registry'
import RetentionSweepJob from '#jobs/retention_sweep_job'

/**
 * The worker process: runs every registered job until SIGTERM/SIGINT, then lets the jobs
 * in flight finish before exiting (Bull's close waits for active jobs).
 */
export default class QueueWork extends BaseCommand {
  static commandName = 'queue:work'
  static description = 'Process background jobs (run one or more of these next to the web process)'
  static options: CommandOptions = { startApp: true, staysAlive: true }

  @flags.number({ description: 'Jobs processed in parallel by this worker', default: 5 })
  declare concurrency: number

  async run() {
    queueService.process(JOBS, this.concurrency)
    await RetentionSweepJob.schedule()
    this.logger.info(`worker started: ${JOBS.length} job type(s), concurrency ${this.concurrency}`)
    const stop = async () => {
      this.logger.info('worker stopping: waiting for jobs in flight')
      await queueService.close()
      await this.terminate()
    }
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)
  }
}
