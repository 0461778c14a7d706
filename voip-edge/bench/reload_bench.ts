/**
 * voip-edge reload benchmark (issue #9: p99 reload < 500 ms for 1,000 extensions).
 *
 *   cd voip-edge && node bench/reload_bench.ts [--extensions=1000] [--rounds=300]
 *
 * Starts the real voip-edge process with a credentials file of N extensions (spread over
 * 10 tenants), registers a phone, then alternates signed control requests: `GET /v1/status`
 * (same-run baseline: signing, HTTP and the control server, no work) and `POST /v1/reload`
 * (re-reads and swaps the whole credential set). Between reloads the file changes one
 * password, and the bench checks that the new password is accepted after the reload and
 * that the phone's registration binding survived every reload.
 */
import { spawn } from 'node:child_process'
import { createHmac, randomUUID } from 'node:crypto'
import { createSocket } from 'node:dgram'
import { createServer } from 'node:net'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Redis } from 'ioredis'
import { TestUac } from '../tests/support/test_uac.ts'
import { deleteKeys } from '../tests/support/edge_harness.ts'

const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback)
const EXTENSIONS = arg('extensions', 1000)
const ROUNDS = arg('rounds', 300)
const TENANTS = 10
const SECRET = `bench-${randomUUID()}-${randomUUID()}`
const PREFIX = `bench-reload-${process.pid}:`

function tenants(version: number) {
  return Array.from({ length: TENANTS }, (_, t) => ({
    organizationId: `org-${t}`,
    realm: `t${t}.bench.localhost`,
    extensions: Array.from({ length: EXTENSIONS / TENANTS }, (_unused, i) => ({
      extensionId: `ext-${t}-${i}`,
      username: String(1000 + i),
      // Extension 1001 of tenant 0 changes password on every version of the file.
      password: t === 0 && i === 1 ? `rotated-${version}` : `pw-${t}-${i}-0123456789`,
    })),
  }))
}

async function freePort(kind: 'tcp' | 'udp') {
  if (kind === 'udp') {
    const socket = createSocket('udp4')
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
    const { port } = socket.address()
    await new Promise<void>((resolve) => socket.close(() => resolve()))
    return port
  }
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

async function signed(base: string, method: 'GET' | 'POST', path: string) {
  const timestamp = Math.floor(Date.now() / 1000)
  const requestId = randomUUID()
  const mac = createHmac('sha256', SECRET)
    .update(`${timestamp}.${requestId}.${method}.${path}.`)
    .digest('hex')
  const started = performance.now()
  const response = await fetch(base + path, {
    method,
    headers: {
      'x-edge-request-id': requestId,
      'x-edge-timestamp': String(timestamp),
      'x-edge-signature': `v1=${mac}`,
    },
  })
  await response.text()
  const ms = performance.now() - started
  if (response.status !== 200) throw new Error(`${method} ${path} answered ${response.status}`)
  return ms
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1)! }
}

const dir = mkdtempSync(join(tmpdir(), 'edge-reload-'))
const file = join(dir, 'tenants.json')
writeFileSync(file, JSON.stringify(tenants(0)))
const [sipPort, controlPort, ngPort] = await Promise.all([
  freePort('udp'),
  freePort('tcp'),
  freePort('udp'),
])
const child = spawn(
  process.execPath,
  [fileURLToPath(new URL('../bin/voip_edge.ts', import.meta.url))],
  {
    env: {
      ...process.env,
      VOIP_EDGE_SIGNING_SECRET: SECRET,
      VOIP_EDGE_SIP_HOST: '127.0.0.1',
      VOIP_EDGE_SIP_PORT: String(sipPort),
      VOIP_EDGE_SIP_TRANSPORTS: 'udp',
      VOIP_EDGE_CONTROL_PORT: String(controlPort),
      VOIP_EDGE_CREDENTIALS_FILE: file,
      VOIP_EDGE_REDIS_PREFIX: PREFIX,
      VOIP_EDGE_ROUTER: 'direct',
      // No rtpengine is needed: the bench places no calls (reload never touches media).
      VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${ngPort}`,
      VOIP_EDGE_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  },
)
const base = `http://127.0.0.1:${controlPort}`
const redis = new Redis(process.env.VOIP_EDGE_REDIS_URL ?? 'redis://127.0.0.1:6379')
let uac: TestUac | null = null
try {
  for (let attempt = 0; ; attempt++) {
    try {
      await fetch(`${base}/health`)
      break
    } catch {
      if (attempt > 100) throw new Error('voip-edge did not start')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  uac = await TestUac.open(sipPort)
  const phone = { user: '1000', realm: 't0.bench.localhost', password: 'pw-0-0-0123456789' }
  const registered = await uac.register({ ...phone, expires: 3600 })
  if (registered.final.status !== 200)
    throw new Error(`REGISTER answered ${registered.final.status}`)
  const bindings = async () => {
    const keys = await redis.keys(`${PREFIX}reg:*`)
    return keys.length
  }
  const boundBefore = await bindings()

  for (let i = 0; i < 20; i++) {
    await signed(base, 'GET', '/v1/status')
    await signed(base, 'POST', '/v1/reload')
  }
  const status: number[] = []
  const reload: number[] = []
  for (let round = 1; round <= ROUNDS; round++) {
    writeFileSync(file, JSON.stringify(tenants(round)))
    status.push(await signed(base, 'GET', '/v1/status'))
    reload.push(await signed(base, 'POST', '/v1/reload'))
  }
  const rotated = await uac.register({
    user: '1001',
    realm: phone.realm,
    password: `rotated-${ROUNDS}`,
    expires: 60,
  })
  const boundAfter = await bindings()

  const fmt = (s: ReturnType<typeof stats>) =>
    `p50 ${s.p50.toFixed(2)} ms  p95 ${s.p95.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms  max ${s.max.toFixed(2)} ms`
  const r = stats(reload)
  console.log(`voip-edge reload, ${EXTENSIONS} extensions in ${TENANTS} tenants, ${ROUNDS} rounds`)
  console.log(`  baseline GET /v1/status : ${fmt(stats(status))}`)
  console.log(`  POST /v1/reload         : ${fmt(r)}`)
  console.log(`  target p99 < 500 ms     : ${r.p99 < 500 ? 'met' : 'NOT met'}`)
  console.log(
    `  new password after reload: ${rotated.final.status === 200 ? 'accepted' : `refused (${rotated.final.status})`}`,
  )
  console.log(
    `  registration bindings   : ${boundBefore} before, ${boundAfter} after (the phone's binding ${boundAfter >= boundBefore ? 'survived' : 'was LOST'})`,
  )
} finally {
  uac?.close()
  child.kill('SIGTERM')
  await new Promise((resolve) => child.once('exit', resolve))
  await deleteKeys(redis, PREFIX)
  redis.disconnect()
  rmSync(dir, { recursive: true, force: true })
}
