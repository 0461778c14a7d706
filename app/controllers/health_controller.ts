import type { HttpContext } from '@adonisjs/core/http'
import { checkHealth } from '#services/health/check_health'
import { build } from '#services/version'

export default class HealthController {
  async show({ response }: HttpContext) {
    const report = await checkHealth()
    const failing = report.components.filter((c) => !c.ok).map((c) => c.name)
    return response.status(report.ok ? 200 : 503).send({
      status: report.ok ? 'ok' : 'degraded',
      ...(failing.length ? { failing } : {}),
      version: build.version,
      commit: build.commit,
      ...report,
    })
  }
}
