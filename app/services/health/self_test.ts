import { createServer } from 'node:net'
import { access, constants, mkdir } from 'node:fs/promises'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import { MigrationRunner } from '@adonisjs/lucid/migration'
import env from '#start/env'

export type Problem = { check: string; message: string }

async function attempt(check: string, run: () => Promise<string | null>): Promise<Problem | null> {
  try {
    const message = await run()
    return message ? { check, message } : null
  } catch (error) {
    return { check, message: error instanceof Error ? error.message : String(error) }
  }
}

function portFree(host: string, port: number) {
  return new Promise<boolean>((resolve) => {
    const server = createServer()
      .once('error', () => resolve(false))
      .listen(port, host, () => server.close(() => resolve(true)))
  })
}

/**
 * Everything that must hold before the product can serve: one problem per failed check,
 * each with a message that names what to fix. Used by `node ace doctor` and by the run
 * script before it starts the processes.
 */
export async function selfTest(options: { checkPortFree: boolean }): Promise<Problem[]> {
  const checks = await Promise.all([
    attempt('app key', async () =>
      env.get('APP_KEY').release().length >= 32
        ? null
        : 'APP_KEY is shorter than 32 characters: run bin/setup.sh setup',
    ),
    attempt('database', async () => {
      await db.rawQuery('select 1')
      return null
    }),
    attempt('migrations', async () => {
      const runner = new MigrationRunner(db, app, { direction: 'up', dryRun: true })
      const migrations = await runner.getList()
      const pending = migrations.filter((m) => m.status !== 'migrated')
      return pending.length
        ? `${pending.length} migration(s) not applied: run node ace migration:run --force`
        : null
    }),
    attempt('redis', async () => {
      await redis.ping()
      return null
    }),
    attempt('storage', async () => {
      const root = env.get('STORAGE_ROOT') || app.makePath('storage')
      await mkdir(root, { recursive: true })
      await access(root, constants.W_OK)
      return null
    }),
    options.checkPortFree
      ? attempt('http port', async () =>
          (await portFree(env.get('HOST'), env.get('PORT')))
            ? null
            : `port ${env.get('PORT')} on ${env.get('HOST')} is already in use: stop the other process or set PORT`,
        )
      : Promise.resolve(null),
  ])
  return checks.filter((p): p is Problem => p !== null)
}
