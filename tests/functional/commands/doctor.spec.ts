import { test } from '@japa/runner'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import ace from '@adonisjs/core/services/ace'
import app from '@adonisjs/core/services/app'
import Doctor from '#commands/doctor'

const run = promisify(execFile)

test.group('node ace doctor', (group) => {
  group.each.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('passes on a healthy, migrated installation', async () => {
    const command = await ace.create(Doctor, [])
    await command.exec()
    command.assertSucceeded()
    command.assertLog('[ green(success) ] all checks passed')
  })

  test('prints one line per problem and exits non-zero', async ({ assert }) => {
    const result = await run(process.execPath, ['ace.js', 'doctor'], {
      cwd: app.makePath(),
      env: { ...process.env, NODE_ENV: 'test', DB_PORT: '1', REDIS_PORT: '1', LOG_LEVEL: 'silent' },
    }).then(
      () => ({ code: 0, out: '' }),
      (error: { code: number; stdout: string; stderr: string }) => ({
        code: error.code,
        out: error.stdout + error.stderr,
      }),
    )
    assert.equal(result.code, 1)
    assert.match(result.out, /database: .*ECONNREFUSED/)
    assert.match(result.out, /redis: /)
    assert.notInclude(result.out, 'all checks passed')
  }).timeout(30_000)
})
