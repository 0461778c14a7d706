import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'
import { track, stopProcess, freeUdpPort, startRtpengine } from '../support/processes.ts'
import { uniquePrefix, deleteKeys } from '../support/edge_harness.ts'
import { TestUac } from '../support/test_uac.ts'

const TOKEN = 'metrics-test-token-0123456789'

async function freeTcpPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/* One sample's value from the Prometheus text format (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`)
  const line = text
    .split('\n')
    .find(
      (l) =>
        (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) &&
        wanted.every((w) => l.includes(w)),
    )
  return line ? Number(line.split(' ').at(-1)) : 0
}

test.group('voip-edge metrics', () => {
  test('GET /metrics on the control port: token-protected counters that move with traffic', async ({
    assert,
    cleanup,
  }) => {
    const rtpengine = await startRtpengine()
    cleanup(() => rtpengine.stop())
    const sipPort = await freeUdpPort()
    const controlPort = await freeTcpPort()
    const prefix = uniquePrefix()
    const child = track(
      spawn(process.execPath, ['bin/voip_edge.ts'], {
        env: {
          ...process.env,
          VOIP_EDGE_SIGNING_SECRET: 'metrics-test-secret-0123456789abcdef',
          VOIP_EDGE_SIP_PORT: String(sipPort),
          VOIP_EDGE_SIP_TRANSPORTS: 'udp',
          VOIP_EDGE_CONTROL_PORT: String(controlPort),
          VOIP_EDGE_METRICS_TOKEN: TOKEN,
          VOIP_EDGE_REDIS_PREFIX: prefix,
          VOIP_EDGE_CREDENTIALS_FILE: 'demo/tenants.json',
          VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
          VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${rtpengine.ngPort}`,
          VOIP_EDGE_LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    )
    let output = ''
    child.stdout!.on('data', (chunk) => (output += chunk))
    child.stderr!.on('data', (chunk) => (output += chunk))
    cleanup(async () => {
      await stopProcess(child)
      const redis = new Redis()
      await deleteKeys(redis, prefix)
      redis.disconnect()
    })
    const url = `http://127.0.0.1:${controlPort}/metrics`
    const scrape = async () => {
      const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } })
      assert.equal(response.status, 200, output)
      return response.text()
    }
    for (let attempt = 0; ; attempt++) {
      try {
        await fetch(`http://127.0.0.1:${controlPort}/health`)
        break
      } catch {
        if (attempt > 200) throw new Error(`voip-edge did not start:\n${output}`)
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    }

    const anonymous = await fetch(url)
    assert.equal(anonymous.status, 401)
    const wrong = await fetch(url, { headers: { authorization: 'Bearer nope' } })
    assert.equal(wrong.status, 401)

    const before = await scrape()
    const uac = await TestUac.open(sipPort)
    cleanup(() => uac.close())
    const realm = 'acme.pbx.localhost'
    const ok = await uac.register({ user: '1001', realm, password: 'demo-1001-change-me' })
    assert.equal(ok.final.status, 200)
    const bad = await uac.register({ user: '1002', realm, password: 'not-the-password' })
    assert.equal(bad.final.status, 403)
    const invite = await uac.request({ user: '1001', realm, method: 'INVITE' })
    assert.isAtLeast(invite.status, 400)
    const after = await scrape()

    const delta = (name: string, labels: Record<string, string> = {}) =>
      sample(after, name, labels) - sample(before, name, labels)
    assert.equal(delta('voip_edge_registrations_total', { outcome: 'challenged' }), 2)
    assert.equal(delta('voip_edge_registrations_total', { outcome: 'registered' }), 1)
    assert.equal(delta('voip_edge_registrations_total', { outcome: 'forbidden' }), 1)
    assert.equal(delta('voip_edge_call_setups_total', { outcome: 'accepted' }), 1)
    assert.isAtLeast(
      delta('voip_edge_sip_messages_total', { transport: 'udp', direction: 'in' }),
      5,
    )
    assert.isAtLeast(
      delta('voip_edge_sip_messages_total', { transport: 'udp', direction: 'out' }),
      5,
    )
    const parsed = (labels: Record<string, string>) =>
      delta('voip_edge_sip_parsed_messages_total', labels)
    assert.equal(parsed({ direction: 'in', method: 'REGISTER', status: '' }), 4)
    assert.equal(parsed({ direction: 'out', method: 'REGISTER', status: '401' }), 2)
    assert.equal(parsed({ direction: 'out', method: 'REGISTER', status: '200' }), 1)
    assert.equal(parsed({ direction: 'out', method: 'REGISTER', status: '403' }), 1)
    assert.equal(parsed({ direction: 'in', method: 'INVITE', status: '' }), 1)
    assert.equal(sample(after, 'voip_edge_active_calls'), 0)
    assert.match(after, /^voip_edge_rtpengine_sessions\{[^}]*\} \d+/m)
    assert.match(after, /^nodejs_eventloop_lag_seconds/m)
    assert.match(after, /^process_resident_memory_bytes/m)
  }).timeout(60_000)
})
