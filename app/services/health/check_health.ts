import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import queueService from '#services/queue/queue_service'

export type ComponentHealth = { name: string; ok: boolean; latencyMs: number; error?: string }
export type HealthReport = { ok: boolean; checkedAt: string; components: ComponentHealth[] }

const CHECK_TIMEOUT_MS = 1500

async function timed(name: string, check: () => Promise<unknown>): Promise<ComponentHealth> {
  const started = performance.now()
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
          CHECK_TIMEOUT_MS,
        )
      }),
    ])
    return { name, ok: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 }
  } catch (error) {
    return {
      name,
      ok: false,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
      error: error instanceof Error ? error.message : String(error),
    }
  } finally {
    clearTimeout(timer)
  }
}

/**
 * Checks every dependency the app needs to serve calls, in parallel and each with a
 * timeout, so one hung component cannot make the health check itself hang.
 */
export async function checkHealth(): Promise<HealthReport> {
  const components = await Promise.all([
    timed('database', () => db.rawQuery('select 1')),
    timed('redis', () => redis.ping()),
    timed('queue', () => queueService.ping()),
  ])
  return { ok: components.every((c) => c.ok), checkedAt: new Date().toISOString(), components }
}
