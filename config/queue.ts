import env from '#start/env'

/**
 * Bull queues on the shared Redis. Jobs are retried with exponential backoff; a job that
 * exhausts its attempts stays in the queue's failed set (the dead-letter list shown by
 * `node ace queue:failed`) instead of being dropped.
 */
const queueConfig = {
  prefix: env.get('QUEUE_PREFIX', 'opbx'),
  redis: {
    host: env.get('REDIS_HOST'),
    port: env.get('REDIS_PORT'),
    password: env.get('REDIS_PASSWORD')?.release() || undefined,
    db: env.get('REDIS_DB', 0),
    connectTimeout: 2000,
    /*
     * Like the main connection: while Redis is down a dispatch fails within seconds (the
     * CDR is already stored; the caller logs "not queued") instead of ioredis's default 20
     * reconnection rounds, which held webhook answers 15 s and more past the edge's timeout
     * in the 60 s Redis outage run. Bull lifts the cap for its blocking connections.
     */
    maxRetriesPerRequest: 2,
    /*
     * Bull's own default backs off exponentially to 20 s between reconnection attempts:
     * after the 60 s outage its client sat out up to 20 s more with Redis already back, and
     * every CDR webhook answered meanwhile waited on its dispatch (seen as requests hung
     * past the edge's timeout after Redis returned). The main connection's pace instead.
     */
    retryStrategy: (times: number) => Math.min(times * 200, 2000),
  },
  defaultJobOptions: {
    attempts: 5,
    backoff: { type: 'exponential' as const, delay: 2000 },
    removeOnComplete: 1000,
    removeOnFail: false,
  },
  concurrency: 5,
}

export default queueConfig
