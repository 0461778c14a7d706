/**
 * The reliability run's own database (opbx_reliability by default), dropped and created
 * afresh on every run, then migrated with the app's migrations. Credentials come from
 * .env (DB_HOST, DB_PORT, DB_USER, DB_PASSWORD), as for the app itself.
 */
import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { ROOT } from './processes.ts'

export function dotenv(): Record<string, string> {
  const file = join(ROOT, '.env')
  if (!existsSync(file)) return {}
  const values: Record<string, string> = {}
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim())
    if (match) values[match[1]] = match[2]
  }
  return values
}

export function connection(database: string) {
  const env = { ...dotenv(), ...process.env }
  return {
    host: env.DB_HOST ?? '127.0.0.1',
    port: Number(env.DB_PORT ?? 5432),
    user: env.DB_USER ?? 'opbx',
    password: env.DB_PASSWORD ?? 'opbx',
    database,
  }
}

/** Runs one SQL statement with psql (installed with PostgreSQL); rows as tab-separated text. */
export function psql(database: string, sql: string): string[][] {
  const c = connection(database)
  const out = execFileSync(
    'psql',
    [
      '-h',
      c.host,
      '-p',
      String(c.port),
      '-U',
      c.user,
      '-d',
      database,
      '-AtF',
      '\t',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      sql,
    ],
    { env: { ...process.env, PGPASSWORD: c.password }, encoding: 'utf8' },
  )
  return out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('\t'))
}

export function freshDatabase(name: string) {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`)
  psql('postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
  psql('postgres', `CREATE DATABASE ${name}`)
  execFileSync(process.execPath, ['ace', 'migration:run', '--force'], {
    cwd: ROOT,
    env: { ...process.env, DB_DATABASE: name },
    stdio: 'ignore',
  })
}
