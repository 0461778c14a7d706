import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { Redis } from 'ioredis'
import { track, stopProcess, freeUdpPort } from '../support/processes.ts'
import { udpExchange, options } from '../support/raw_sip.ts'
import { startEdge, uniquePrefix, deleteKeys } from '../support/edge_harness.ts'

function invite(callId: string): string {
  return options(callId).replace(/OPTIONS/g, 'INVITE')
}

test.group('voip-edge process', () => {
  test('bin/voip_edge.ts starts, answers OPTIONS, and exits 0 on SIGTERM', async ({
    assert,
    cleanup,
  }) => {
    const port = await freeUdpPort()
    const prefix = uniquePrefix()
    const child = track(
      spawn(process.execPath, ['bin/voip_edge.ts'], {
        env: {
          ...process.env,
          VOIP_EDGE_SIGNING_SECRET: 'process-test-secret-0123456789abcdef',
          VOIP_EDGE_SIP_PORT: String(port),
          VOIP_EDGE_SIP_TRANSPORTS: 'udp',
          VOIP_EDGE_REDIS_PREFIX: prefix,
          VOIP_EDGE_CREDENTIALS_FILE: 'demo/tenants.json',
          VOIP_EDGE_DRAIN_TIMEOUT_MS: '2000',
          // No rtpengine here; point the health pings at a port nobody uses.
          VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${await freeUdpPort()}`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    )
    cleanup(() => stopProcess(child))
    let output = ''
    child.stdout!.on('data', (chunk) => (output += chunk))
    child.stderr!.on('data', (chunk) => (output += chunk))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start line:\n${output}`)), 5000)
      child.stdout!.on('data', () => {
        if (output.includes('demo extension ready')) {
          clearTimeout(timer)
          resolve()
        }
      })
    })
    assert.include(output, '"domain":"acme.pbx.localhost"')
    assert.notInclude(output, 'demo-1001-change-me', 'passwords never reach the log')
    const reply = await udpExchange(options('proc-1'), port)
    assert.match(reply ?? '', /^SIP\/2\.0 200 OK/)
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    )
    child.kill('SIGTERM')
    assert.equal(await exited, 0)
    assert.include(output, 'draining')
    const redis = new Redis()
    await deleteKeys(redis, prefix)
    redis.disconnect()
  })

  test('an invalid variable stops the process with exit code 2 and names it', async ({
    assert,
  }) => {
    const child = track(
      spawn(process.execPath, ['bin/voip_edge.ts'], {
        env: { ...process.env, VOIP_EDGE_SIGNING_SECRET: 'short' },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    )
    let stderr = ''
    child.stderr!.on('data', (chunk) => (stderr += chunk))
    const code = await new Promise<number | null>((resolve) =>
      child.once('exit', (c) => resolve(c)),
    )
    assert.equal(code, 2)
    assert.include(stderr, 'VOIP_EDGE_SIGNING_SECRET')
  })

  test('an out-of-dialog request with Max-Forwards: 0 gets 483', async ({ assert, cleanup }) => {
    const running = await startEdge()
    cleanup(() => running.close())
    const reply = await udpExchange(
      invite('mf0').replace('Max-Forwards: 70', 'Max-Forwards: 0'),
      running.udpPort,
    )
    assert.match(reply ?? '', /^SIP\/2\.0 483 Too Many Hops/)
  })

  test('while draining, new INVITEs get 503 and OPTIONS still works', async ({
    assert,
    cleanup,
  }) => {
    const running = await startEdge()
    cleanup(() => running.close())
    assert.match((await udpExchange(invite('drain-0'), running.udpPort)) ?? '', /^SIP\/2\.0 480 /)
    await running.edge.drain()
    const reply = await udpExchange(invite('drain-1'), running.udpPort)
    assert.match(reply ?? '', /^SIP\/2\.0 503 Service Unavailable \(draining\)/)
    assert.include(reply ?? '', 'Retry-After: 60')
    assert.match(
      (await udpExchange(options('drain-2'), running.udpPort)) ?? '',
      /^SIP\/2\.0 200 OK/,
    )
  })
})
