import type { ApplicationService } from '@adonisjs/core/types'

/**
 * Closes the Bull queues' Redis connections when the app terminates; without it an open
 * queue connection keeps a web process alive after SIGTERM.
 */
export default class QueueProvider {
  constructor(protected app: ApplicationService) {}

  async shutdown() {
    const { default: queueService } = await import('#services/queue/queue_service')
    await queueService.close()
  }
}
