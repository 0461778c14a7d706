import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import app from '@adonisjs/core/services/app'

/*
 * What is running: the package version and the git commit, read once at boot. Deployed
 * builds without a .git folder pass the commit through GIT_COMMIT.
 */
function readCommit() {
  if (process.env.GIT_COMMIT) return process.env.GIT_COMMIT.slice(0, 12)
  try {
    return execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], {
      cwd: app.makePath(),
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 2000,
    })
      .toString()
      .trim()
  } catch {
    return 'unknown'
  }
}

const pkg = JSON.parse(readFileSync(app.makePath('package.json'), 'utf8')) as { version: string }

export const build = { version: pkg.version, commit: readCommit() }
