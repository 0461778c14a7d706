import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import env from '#start/env'
import DemoSeeder from '#database/seeders/demo_seeder'

async function freePort() {
  return new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/* One REGISTER with digest through sipp, as a phone would; exit code 0 means 200 OK. */
async function sippRegister(sipPort: number, user: string, password: string, realm: string) {
  const dir = await mkdtemp(join(tmpdir(), 'opbx-sipp-'))
  const users = join(dir, 'users.csv')
  await writeFile(
    users,
    `SEQUENTIAL\n${user};[authentication username=${user} password=${password}];${realm}\n`,
  )
  const scenario = app.makePath('voip-edge/scenarios/uac_register_digest_expect_200.xml')
  const args = [
    '-sf',
    scenario,
    `127.0.0.1:${sipPort}`,
    '-i',
    '127.0.0.1',
    '-p',
    String(await freePort()),
  ]
  args.push('-m', '1', '-t', 'u1', '-nostdin', '-timeout', '10s', '-timeout_error', '-inf', users)
  const code = await new Promise<number | null>((resolve) => {
    spawn('/usr/bin/sipp', args, { cwd: dir, stdio: 'ignore' }).once('exit', (c) => resolve(c))
  })
  await rm(dir, { recursive: true, force: true })
  return code
}

/*
 * The product as `npm start` runs it after setup (bin/run_all.sh: asset build, rtpengine,
 * voip-edge, web and worker in production mode), on spare ports so it does not collide
 * with a running copy, against the test database seeded with the demo data.
 */
test.group('npm start (bin/run_all.sh)', () => {
  test('serves the app, registers a seeded extension through voip-edge, stops on SIGTERM', async ({
    assert,
    cleanup,
  }) => {
    await new DemoSeeder(db.connection()).run()
    const [port, sipPort, controlPort, ngPort] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ])
    const output: string[] = []
    const child = spawn('bash', ['bin/run_all.sh'], {
      cwd: app.makePath(),
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DB_DATABASE: env.get('DB_DATABASE'),
        REDIS_DB: String(env.get('REDIS_DB', 0)),
        PORT: String(port),
        LOG_LEVEL: 'warn',
        VOIP_EDGE_SIP_PORT: String(sipPort),
        VOIP_EDGE_CONTROL_PORT: String(controlPort),
        RTPENGINE_NG_PORT: String(ngPort),
        RTP_PORT_MIN: '41000',
        RTP_PORT_MAX: '41099',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    child.stdout!.on('data', (d) => output.push(String(d)))
    child.stderr!.on('data', (d) => output.push(String(d)))
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    )
    cleanup(() => {
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL')
    })

    const base = `http://127.0.0.1:${port}`
    const deadline = Date.now() + 90_000
    let health: Response | undefined
    while (Date.now() < deadline && !output.join('').includes('OPBX is running')) {
      if (child.exitCode !== null) break
      await new Promise((r) => setTimeout(r, 250))
    }
    try {
      health = await fetch(`${base}/health`)
    } catch (error) {
      assert.fail(`no answer on ${base}: ${error}\n${output.join('')}`)
    }
    assert.equal(health!.status, 200, output.join(''))
    const components = ((await health!.json()) as { components: { name: string; ok: boolean }[] })
      .components
    assert.deepInclude(
      components.map((c) => ({ name: c.name, ok: c.ok })),
      { name: 'voip-edge', ok: true },
    )
    const login = await fetch(`${base}/login`)
    assert.equal(login.status, 200)
    const html = await login.text()
    assert.include(html, '"component":"auth\\/login"')
    assert.match(html, /<script type="module" src="\/assets\/app-[\w-]+\.js">/)
    assert.include(output.join(''), 'owner@acme.test')

    // A phone registers: the edge looks the credentials up in the app over signed HTTP.
    assert.equal(
      await sippRegister(sipPort, '1001', 'demo-1001-change-me', 'acme.pbx.localhost'),
      0,
    )
    assert.notEqual(
      await sippRegister(sipPort, '1001', 'wrong-password-1', 'acme.pbx.localhost'),
      0,
    )

    process.kill(-child.pid!, 'SIGTERM')
    const code = await exited
    assert.oneOf(code, [0, 143])
  }).timeout(150_000)
})
