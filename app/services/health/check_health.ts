import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import queueService from '#services/queue/queue_service'
import { controlUrls } from '#services/calls/edge_control_client'

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

async function edgeHealthy(baseUrl: string) {
  const response = await fetch(`${baseUrl}/health`, {
    signal: AbortSignal.timeout(CHECK_TIMEOUT_MS),
  })
  if (!response.ok)
    throw new Error(`voip-edge answered ${response.status}: ${await response.text()}`)
}

/**
 * Checks every dependency the app needs to serve calls, in parallel and each with a
 * timeout, so one hung component cannot make the health check itself hang.
 */
export async function checkHealth(): Promise<HealthReport> {
  const edgeUrls = controlUrls()
  const components = await Promise.all([
    timed('database', () => db.rawQuery('select 1')),
    timed('redis', () => redis.ping()),
    timed('queue', () => queueService.ping()),
    // voip-edge answers 503 itself when rtpengine is unreachable, so this covers media too.
    ...edgeUrls.map((url) =>
      timed(edgeUrls.length > 1 ? `voip-edge ${url}` : 'voip-edge', () => edgeHealthy(url)),
    ),
  ])
  return { ok: components.every((c) => c.ok), checkedAt: new Date().toISOString(), components }
}
