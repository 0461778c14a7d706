import { test } from '@japa/runner'
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import app from '@adonisjs/core/services/app'

async function freePort() {
  return new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/*
 * The product as `npm start` runs it after setup (bin/run_all.sh: asset build, web and
 * worker in production mode), on a spare port so it does not collide with a running copy.
 */
test.group('npm start (bin/run_all.sh)', () => {
  test('serves the login page and a healthy /health, and stops cleanly on SIGTERM', async ({
    assert,
    cleanup,
  }) => {
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

    process.kill(-child.pid!, 'SIGTERM')
    const code = await exited
    assert.oneOf(code, [0, 143])
  }).timeout(150_000)
})
