import Bull from 'bull'
import logger from '@adonisjs/core/services/logger'
import queueConfig from '#config/queue'
import type { OrganizationJobClass, OrganizationJobPayload } from '#jobs/organization_job'

/**
 * The one place that knows about Bull. The rest of the app dispatches job classes with
 * typed payloads; the worker command registers the same classes to process them.
 */
export class QueueService {
  #queues = new Map<string, Bull.Queue>()

  queue(name = 'default') {
    let queue = this.#queues.get(name)
    if (!queue) {
      queue = new Bull(name, {
        prefix: queueConfig.prefix,
        redis: queueConfig.redis,
        defaultJobOptions: queueConfig.defaultJobOptions,
      })
      // An unhandled 'error' event would crash the process when Redis blips.
      queue.on('error', (error) => logger.error({ err: error, queue: name }, 'queue error'))
      this.#queues.set(name, queue)
    }
    return queue
  }

  async dispatch<P extends OrganizationJobPayload>(
    job: { jobName: string },
    payload: P,
    options: Bull.JobOptions = {},
  ) {
    return this.queue().add(job.jobName, payload, options)
  }

  process(jobs: OrganizationJobClass[], concurrency = queueConfig.concurrency) {
    const queue = this.queue()
    for (const Job of jobs) {
      queue.process(Job.jobName, concurrency, async (job) => {
        const jobLogger = logger.child({
          job: Job.jobName,
          jobId: job.id,
          organizationId: job.data.organizationId,
        })
        await new Job().run(job.data, jobLogger)
      })
    }
    queue.on('failed', (job, error) =>
      logger.error(
        { err: error, job: job.name, jobId: job.id, attempts: job.attemptsMade },
        'job failed',
      ),
    )
    return queue
  }

  /** Round-trip to the queue's own Redis connection, for /health. */
  async ping() {
    const client = this.queue().client
    await client.ping()
    return client.status
  }

  async close() {
    await Promise.all([...this.#queues.values()].map((q) => q.close()))
    this.#queues.clear()
  }
}

const queueService = new QueueService()
export default queueService
