/**
 * Process entry: config → start → on SIGTERM/SIGINT stop taking new calls (503), drain,
 * exit. A second signal (2 s or more after the first) exits at once, for operators who do not
 * want to wait.
 */
import { readFileSync } from 'node:fs'
import { ConfigError, parseConfig } from '../src/config.ts'
import { createEdge } from '../src/edge.ts'
import { createLogger } from '../src/observability/logger.ts'
import { InMemoryCredentialStore, type InMemoryTenant } from '../src/registrar/credential_store.ts'
import { HttpCredentialStore } from '../src/registrar/http_credential_store.ts'
import { HttpCxmlRouter } from '../src/routing/router.ts'
import { DirectDialRouter } from '../src/routing/direct_router.ts'
import { EdgeMetrics, edgeMetricsSource } from '../src/observability/metrics.ts'
import { RtpEngine } from '../src/media/rtpengine.ts'
import { HttpPlanStore } from '../src/trunks/plan_store.ts'
import { HttpTrunkStore } from '../src/trunks/http_trunk_store.ts'

let config
try {
  config = parseConfig(process.env)
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`voip-edge: invalid configuration: ${error.message}\n`)
    process.exit(2)
  }
  throw error
}

const logger = createLogger(config.logLevel)
const loadTenants = (): InMemoryTenant[] =>
  config!.credentialsFile ? JSON.parse(readFileSync(config!.credentialsFile, 'utf8')) : []
const tenants = loadTenants()
// A credentials file (demo, tests) wins; otherwise the app answers over signed HTTP.
const fileStore = config.credentialsFile ? new InMemoryCredentialStore(tenants) : null
// Every app request on an INVITE's way to routing stays within the configured app budget,
// so a hung app cannot keep a caller waiting for the fallback much longer than it says.
const lookupTimeoutMs = Math.min(3000, config.media.cxmlTimeoutMs)
const credentials =
  fileStore ??
  new HttpCredentialStore({
    baseUrl: config.appBaseUrl,
    signingSecret: config.signingSecret,
    timeoutMs: lookupTimeoutMs,
  })
const router =
  config.router === 'direct'
    ? new DirectDialRouter()
    : new HttpCxmlRouter({
        baseUrl: config.appBaseUrl,
        signingSecret: config.signingSecret,
        connectTimeoutMs: config.media.cxmlConnectTimeoutMs,
        timeoutMs: config.media.cxmlTimeoutMs,
      })
// With the app behind it the edge also places trunk calls (outbound plans) and knows
// IP-authenticated carriers; the file-based demo has neither.
const plans = fileStore
  ? undefined
  : new HttpPlanStore({ baseUrl: config.appBaseUrl, signingSecret: config.signingSecret })
const trunks = fileStore
  ? undefined
  : new HttpTrunkStore({
      baseUrl: config.appBaseUrl,
      signingSecret: config.signingSecret,
      logger,
      timeoutMs: lookupTimeoutMs,
    })
const metrics = new EdgeMetrics({ token: process.env.VOIP_EDGE_METRICS_TOKEN })
// Its own small client: a scrape asking rtpengine for its session list never queues behind
// (or delays) a call's offer/answer on the edge's client.
const metricsMedia = new RtpEngine({
  ...config.rtpengineNg,
  timeoutMs: 1000,
  localAddress: config.sipHost,
})
const edge = createEdge(config, {
  credentials,
  logger,
  router,
  metrics,
  plans,
  trunks,
  // Control API reload: re-read the credential file (or drop the app answers cached by the
  // HTTP store) without dropping calls or bindings.
  onReload: async () => {
    if (fileStore) fileStore.replace(loadTenants())
    else (credentials as HttpCredentialStore).clear()
    plans?.clear()
    trunks?.clear()
    logger.info('credentials, trunks and outbound plans reloaded')
  },
})

/*
 * Ctrl-C in a terminal signals every process of its group, and a supervisor (npm start's
 * run_all.sh) forwards its own stop signal right after: that pair is one request to stop,
 * and skipping the drain would leave calls in progress without their final update and CDR.
 */
const DUPLICATE_SIGNAL_MS = 2000
let stoppingSince: number | null = null
async function shutdown(signal: string): Promise<void> {
  if (stoppingSince !== null) {
    if (Date.now() - stoppingSince < DUPLICATE_SIGNAL_MS) return
    logger.warn({ signal }, 'second signal: exiting without waiting')
    process.exit(1)
  }
  stoppingSince = Date.now()
  logger.info({ signal, drainTimeoutMs: config!.drainTimeoutMs }, 'draining')
  await edge.drain()
  await edge.stop()
  metricsMedia.close()
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))

metrics.attach(edgeMetricsSource(edge, metricsMedia))
const bound = await edge.start()
for (const tenant of tenants) {
  for (const extension of tenant.extensions) {
    logger.info(
      { domain: tenant.realm, username: extension.username, listening: Object.fromEntries(bound) },
      'demo extension ready (its password is in VOIP_EDGE_CREDENTIALS_FILE)',
    )
  }
}
