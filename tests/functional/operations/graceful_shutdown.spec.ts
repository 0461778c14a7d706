import { test } from '@japa/runner'
import { spawn, type ChildProcess } from 'node:child_process'
import { request } from 'node:http'
import { connect, createServer } from 'node:net'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import queueService from '#services/queue/queue_service'
import PruneAuditLogsJob from '#jobs/prune_audit_logs_job'
import { createTenant, FACTORY_PASSWORD } from '#tests/helpers'
import env from '#start/env'
import { EventStreamReader, WebSession } from '#tests/support/web_session'

/*
 * SIGTERM against the real processes, started the way bin/run_all.sh starts them. The
 * children share this run's database, Redis and queue prefix, so the data they need is
 * committed (no rolled-back test transaction) and removed afterwards.
 */

type Child = { process: ChildProcess; output: () => string; exit: Promise<number | null> }

function start(args: string[], extra: Record<string, string> = {}): Child {
  const child = spawn(process.execPath, args, {
    cwd: app.makePath(),
    env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', ...extra },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return { process: child, output: () => output, exit }
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`timed out waiting for ${what}`)
}

async function freePort() {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

function accepts(port: number) {
  return new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

async function removeTenant(organizationId: number) {
  await db.from('users').where('organization_id', organizationId).delete()
  await db.from('organizations').where('id', organizationId).delete()
}

test.group('Graceful shutdown', () => {
  test('web: SIGTERM stops new connections and finishes the request in flight', async ({
    assert,
  }) => {
    const tenant = await createTenant()
    const port = await freePort()
    const web = start(['--import', '@poppinss/ts-exec', 'bin/server.ts'], {
      PORT: String(port),
      HOST: '127.0.0.1',
    })
    try {
      await until('the web process to listen', () => accepts(port))

      // A sign-in whose body arrives in two parts: in flight when SIGTERM lands.
      const body = JSON.stringify({ email: tenant.owner.email, password: FACTORY_PASSWORD })
      const half = Math.floor(body.length / 2)
      const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/api/v1/auth/login',
            headers: { 'content-type': 'application/json', 'content-length': body.length },
          },
          (res) => {
            let text = ''
            res.on('data', (chunk) => (text += chunk))
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
          },
        )
        req.on('error', reject)
        req.write(body.slice(0, half))
        setTimeout(() => {
          web.process.kill('SIGTERM')
          // Only once the listener is closed does the rest of the body go out.
          until('the listener to close', async () => !(await accepts(port)), 30_000).then(
            () => req.end(body.slice(half)),
            reject,
          )
        }, 500)
      })

      const answer = await response
      assert.equal(answer.status, 201, answer.body)
      assert.match(JSON.parse(answer.body).data.token, /^opbx_/)
      assert.equal(await web.exit, 0, web.output())
    } finally {
      web.process.kill('SIGKILL')
      await removeTenant(tenant.organization.id)
    }
  }).timeout(120_000)

  test('web: an open live-calls event stream ends on SIGTERM instead of holding the exit', async ({
    assert,
  }) => {
    const tenant = await createTenant()
    const port = await freePort()
    const web = start(['--import', '@poppinss/ts-exec', 'bin/server.ts'], {
      PORT: String(port),
      HOST: '127.0.0.1',
      SESSION_DRIVER: 'cookie',
    })
    const testPort = env.get('PORT')
    try {
      await until('the web process to listen', () => accepts(port))
      // WebSession talks to env PORT: point it at the child for the sign-in and the stream.
      env.set('PORT', String(port))
      const session = await WebSession.signIn(tenant.owner.email, FACTORY_PASSWORD)
      const stream = await session.fetch('/calls/live/events')
      env.set('PORT', String(testPort))
      assert.equal(stream.status, 200)
      const reader = new EventStreamReader(stream)
      await reader.next((event) => event.event === 'ready')

      web.process.kill('SIGTERM')
      const code = await Promise.race([
        web.exit,
        new Promise((resolve) => setTimeout(() => resolve('still running'), 20_000)),
      ])
      assert.equal(code, 0, web.output())
    } finally {
      env.set('PORT', String(testPort))
      web.process.kill('SIGKILL')
      await removeTenant(tenant.organization.id)
    }
  }).timeout(120_000)

  test('worker: SIGTERM lets the job in progress finish; nothing is lost', async ({ assert }) => {
    const tenant = await createTenant()
    const organizationId = tenant.organization.id
    await db.table('audit_logs').insert({
      organization_id: organizationId,
      action: 'test.old',
      created_at: new Date(Date.now() - 40 * 86_400_000),
    })
    const queue = queueService.queue()
    await queue.obliterate({ force: true })

    // Hold the audit row so the prune job blocks on it: a job that is certainly mid-work.
    const blocker = await db.transaction()
    await blocker.from('audit_logs').where('organization_id', organizationId).forUpdate()
    const worker = start(['ace.js', 'queue:work', '--concurrency=1'])
    try {
      await until('the worker to start', () => worker.output().includes('worker started'))
      const job = await queueService.dispatch(PruneAuditLogsJob, {
        organizationId,
        retentionDays: 30,
      })
      await until('the job to be active', async () => (await job.getState()) === 'active')
      await until('the job to wait on the row lock', async () => {
        const waiting = await db.rawQuery(
          "select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and query ilike '%audit_logs%'",
        )
        return waiting.rows[0].n > 0
      })

      worker.process.kill('SIGTERM')
      await until('the worker to begin stopping', () =>
        worker.output().includes('waiting for jobs in flight'),
      )
      // Still alive, still holding the job, while the job cannot progress.
      await new Promise((resolve) => setTimeout(resolve, 1000))
      assert.isNull(worker.process.exitCode, worker.output())
      await blocker.rollback()

      assert.equal(await worker.exit, 0, worker.output())
      const finished = await queue.getJob(job.id)
      assert.equal(await finished!.getState(), 'completed', worker.output())
      const left = await db.from('audit_logs').where('organization_id', organizationId)
      assert.lengthOf(left, 0, 'the job did its work')
    } finally {
      if (!blocker.isCompleted) await blocker.rollback()
      worker.process.kill('SIGKILL')
      await queue.obliterate({ force: true })
      await db.from('audit_logs').where('organization_id', organizationId).delete()
      await removeTenant(organizationId)
    }
  }).timeout(120_000)
})
