import { BaseCommand, args } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import queueService from '#services/queue/queue_service'

/** Puts one dead-lettered job back in the queue with a fresh set of attempts. */
export default class QueueRetry extends BaseCommand {
  static commandName = 'queue:retry'
  static description = 'Retry a failed job by id (see queue:failed)'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Job id, as listed by queue:failed' })
  declare id: string

  async run() {
    try {
      const job = await queueService.queue().getJob(this.id)
      if (!job || !(await job.isFailed())) {
        this.logger.error(`no failed job with id ${this.id}`)
        this.exitCode = 1
        return
      }
      await job.retry()
      this.logger.success(`job ${this.id} (${job.name}) queued again`)
    } finally {
      await queueService.close()
    }
  }
}
