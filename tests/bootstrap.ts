import { assert } from '@japa/assert'
import { apiClient, ApiClient } from '@japa/api-client'
import { spec } from '@japa/runner/reporters'
import app from '@adonisjs/core/services/app'
import redis from '@adonisjs/redis/services/main'
import testUtils from '@adonisjs/core/services/test_utils'
import { pluginAdonisJS } from '@japa/plugin-adonisjs'
import { authApiClient } from '@adonisjs/auth/plugins/api_client'
import { shieldApiClient } from '@adonisjs/shield/plugins/api_client'
import { sessionApiClient } from '@adonisjs/session/plugins/api_client'
import { inertiaApiClient } from '@adonisjs/inertia/plugins/api_client'
import type { Config } from '@japa/runner/types'
import { summaryReporter } from '../voip-edge/tests/support/summary_reporter.js'
import queueService from '#services/queue/queue_service'
import { assertDocumented, coverage, validationStats } from '#tests/support/openapi_validator'

export const plugins: Config['plugins'] = [
  assert(),
  apiClient(),
  pluginAdonisJS(app),
  sessionApiClient(app),
  shieldApiClient(),
  authApiClient(app),
  inertiaApiClient(app),
]

export const reporters: Config['reporters'] = {
  activated: ['spec', 'summary'],
  list: [spec(), summaryReporter('app')],
}

/**
 * The test run owns the test database (opbx_test) and Redis logical database 1
 * (.env.test), so it can migrate and flush them without touching a running instance.
 */
export const runnerHooks: Required<Pick<Config, 'setup' | 'teardown'>> = {
  setup: [
    () => testUtils.db().migrate(),
    async () => {
      await redis.flushdb()
    },
    async () => {
      const { defineLimiterScript } = await import('#start/limiter')
      defineLimiterScript()
    },
  ],
  teardown: [
    async () => {
      await queueService.close()
    },
  ],
}

export const configureSuite: Config['configureSuite'] = (suite) => {
  if (suite.name === 'functional') {
    /*
     * Every /api/v1 response a functional test receives is checked against the OpenAPI
     * document; a mismatch rejects the request, failing the test that made it.
     */
    ApiClient.teardown((response) =>
      assertDocumented({
        method: response.request.config.method,
        url: response.request.config.endpoint,
        status: response.status(),
        contentType: response.header('content-type'),
        body: response.body(),
      }),
    )
    suite.teardown(() => {
      const { validated, failed } = validationStats
      const { operations, responses } = coverage()
      console.log(
        `OpenAPI: ${validated} /api/v1 responses validated, ${failed} mismatched; ` +
          `exercised ${operations} documented operations, ${responses} documented responses`,
      )
    })
  }
  if (['browser', 'functional', 'reliability'].includes(suite.name)) {
    return suite.setup(() => testUtils.httpServer().start())
  }
}
