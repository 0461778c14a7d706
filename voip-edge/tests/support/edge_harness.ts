import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { pino } from 'pino'
import { createEdge, type Edge } from '../../src/edge.ts'
import { parseConfig, type EdgeConfig } from '../../src/config.ts'
import { InMemoryCredentialStore } from '../../src/registrar/credential_store.ts'
import type { BruteForceOptions } from '../../src/registrar/brute_force_guard.ts'
import type { Router } from '../../src/routing/router.ts'
import type { TrunkStore } from '../../src/registrar/trunk_store.ts'
import type { OutboundPlanStore } from '../../src/trunks/plan_store.ts'

export const TENANTS = [
  {
    organizationId: 'org-acme',
    realm: 'acme.pbx.test',
    extensions: [
      { extensionId: 'ext-alice', username: 'alice', password: 'alice-secret-1' },
      { extensionId: 'ext-bob', username: 'bob', password: 'bob-secret-2' },
    ],
  },
  {
    organizationId: 'org-globex',
    realm: 'globex.pbx.test',
    extensions: [{ extensionId: 'ext-carol', username: 'carol', password: 'carol-secret-3' }],
  },
]

export interface RunningEdge {
  edge: Edge
  config: EdgeConfig
  redis: Redis
  prefix: string
  udpPort: number
  tcpPort: number
  /** Every bound SIP port by transport. */
  ports: Map<string, number>
  restart(): Promise<void>
  close(): Promise<void>
}

/** A unique Redis prefix per run: the Redis instance is shared with other test suites. */
export function uniquePrefix(): string {
  return `vetest:${process.pid}:${randomBytes(4).toString('hex')}:`
}

export async function startEdge(
  options: {
    env?: Record<string, string>
    bruteForce?: Partial<BruteForceOptions>
    prefix?: string
    router?: Router
    trunks?: TrunkStore
    plans?: OutboundPlanStore
  } = {},
): Promise<RunningEdge> {
  const prefix = options.prefix ?? uniquePrefix()
  const config = parseConfig({
    VOIP_EDGE_SIGNING_SECRET: 'test-signing-secret-0123456789abcdef',
    VOIP_EDGE_SIP_PORT: '0',
    VOIP_EDGE_REDIS_PREFIX: prefix,
    VOIP_EDGE_LOG_LEVEL: 'silent',
    VOIP_EDGE_REALM_SUFFIX: '.pbx.test',
    ...options.env,
  })
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2 })
  const make = () =>
    createEdge(config, {
      credentials: new InMemoryCredentialStore(TENANTS),
      redis,
      logger: pino({ level: process.env.VOIP_EDGE_TEST_LOG ?? 'silent' }),
      bruteForce: options.bruteForce,
      router: options.router,
      trunks: options.trunks,
      plans: options.plans,
    })
  const running: RunningEdge = {
    edge: make(),
    config,
    redis,
    prefix,
    udpPort: 0,
    tcpPort: 0,
    ports: new Map(),
    async restart() {
      await running.edge.stop()
      // Same ports, new process state: only what is in Redis survives.
      const next = createEdge(
        { ...config, sipPort: running.udpPort || running.tcpPort },
        {
          credentials: new InMemoryCredentialStore(TENANTS),
          redis,
          logger: pino({ level: 'silent' }),
          bruteForce: options.bruteForce,
          router: options.router,
          trunks: options.trunks,
          plans: options.plans,
        },
      )
      running.edge = next
      await next.start()
    },
    async close() {
      await running.edge.stop()
      await deleteKeys(redis, prefix)
      redis.disconnect()
    },
  }
  const bound = await running.edge.start()
  running.udpPort = bound.get('udp')?.port ?? 0
  running.tcpPort = bound.get('tcp')?.port ?? 0
  for (const [protocol, endpoint] of bound) running.ports.set(protocol, endpoint.port)
  return running
}

export async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  // Repeat full scans until one finds nothing: deleting while scanning may skip keys.
  for (let found = 1; found > 0;) {
    found = 0
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500)
      if (keys.length > 0) await redis.del(...keys)
      found += keys.length
      cursor = next
    } while (cursor !== '0')
  }
}
