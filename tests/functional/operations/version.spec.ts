import { test } from '@japa/runner'
import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import app from '@adonisjs/core/services/app'
import { readFileSync } from 'node:fs'
import { createTenant, isolate } from '#tests/helpers'
import { build } from '#services/version'

const run = promisify(execFile)
const head = () => execFileSync('git', ['rev-parse', '--short=12', 'HEAD']).toString().trim()
const version = () =>
  (JSON.parse(readFileSync(app.makePath('package.json'), 'utf8')) as { version: string }).version

test.group('Version', (group) => {
  isolate(group)

  test('node ace --version prints the version and the git commit, exit 0', async ({ assert }) => {
    const { stdout } = await run(process.execPath, ['ace.js', '--version'], {
      cwd: app.makePath(),
      env: { ...process.env, GIT_COMMIT: '' },
    })
    assert.equal(stdout.trim(), `opbx ${version()} (commit ${head()})`)
  }).timeout(30_000)

  test('signed-in pages receive the build for the footer; sign-in pages do not', async ({
    client,
    assert,
  }) => {
    const { owner } = await createTenant()
    const page = await client.get('/').withGuard('web').loginAs(owner).withInertia()
    page.assertStatus(200)
    // The commit read when this process booted (HEAD may have moved since in a shared checkout).
    assert.deepEqual(page.inertiaProps.build, { version: version(), commit: build.commit })
    assert.match(build.commit, /^[0-9a-f]{12}$/)
    const login = await client.get('/login').withInertia()
    assert.isNull(login.inertiaProps.build)
  })
})
