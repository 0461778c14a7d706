import { execFile } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'
import env from '#start/env'
import { build } from '#services/version'

/*
 * Backups are one tar file: `manifest.json` (version, commit, row count per table),
 * `database.dump` (pg_dump custom format) and `storage.tar.gz` (the storage root: prompts,
 * voicemail, recordings). The row counts and the dump come from the same exported snapshot,
 * so the manifest describes exactly what the dump holds even while calls keep writing.
 */

const run = promisify(execFile)
const MAX_OUTPUT = 64 * 1024 * 1024

export const MANIFEST_FORMAT = 1

export type Manifest = {
  format: number
  createdAt: string
  version: string
  commit: string
  database: { name: string; tables: Record<string, number> }
  storage: { files: number; bytes: number }
}

export class BackupError extends Error {}

const DATABASE_NAME = /^[a-z_][a-z0-9_]{0,62}$/i

function connection(database: string) {
  return {
    host: env.get('DB_HOST'),
    port: env.get('DB_PORT'),
    user: env.get('DB_USER'),
    password: env.get('DB_PASSWORD'),
    database,
  }
}

function pgEnv() {
  const password = env.get('DB_PASSWORD')
  return { ...process.env, ...(password ? { PGPASSWORD: password } : {}) }
}

function pgArgs(database: string) {
  const c = connection(database)
  return ['-h', c.host, '-p', String(c.port), '-U', c.user, '-d', database]
}

export function storageRoot() {
  return resolve(env.get('STORAGE_ROOT') || app.makePath('storage'))
}

async function tool(command: string, args: string[], cwd?: string) {
  try {
    return await run(command, args, { env: pgEnv(), cwd, maxBuffer: MAX_OUTPUT })
  } catch (error) {
    const failure = error as { code?: string | number; stderr?: string; message: string }
    if (failure.code === 'ENOENT')
      throw new BackupError(`${command} is not installed (needed for backups)`)
    const detail = (failure.stderr || failure.message).trim().split('\n').slice(-3).join(' | ')
    throw new BackupError(`${command} failed: ${detail}`)
  }
}

async function walk(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0
  let bytes = 0
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true })
  } catch {
    return { files, bytes }
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue
    files += 1
    const info = await stat(join(entry.parentPath, entry.name))
    bytes += info.size
  }
  return { files, bytes }
}

async function isEmptyDir(dir: string) {
  try {
    const entries = await readdir(dir)
    return entries.length === 0
  } catch {
    return true
  }
}

/* A short-lived Lucid connection to another database of the same server. */
async function withDatabase<T>(database: string, use: (client: QueryClientContract) => Promise<T>) {
  const name = `backup_${randomUUID()}`
  db.manager.add(name, { client: 'pg', connection: connection(database), pool: { min: 0, max: 1 } })
  try {
    return await use(db.connection(name))
  } finally {
    await db.manager.close(name, true)
  }
}

/** Row counts of every table in the public schema, read through `query`. */
async function countRows(query: (sql: string) => Promise<{ rows: any[] }>) {
  const { rows } = await query(
    "select tablename from pg_tables where schemaname = 'public' order by tablename",
  )
  const tables: Record<string, number> = {}
  for (const { tablename } of rows) {
    const result = await query(`select count(*)::bigint as n from "${tablename}"`)
    const [{ n }] = result.rows
    tables[tablename] = Number(n)
  }
  return tables
}

export default class BackupService {
  async create(options: { outputDir: string }) {
    const outputDir = resolve(options.outputDir)
    await mkdir(outputDir, { recursive: true })
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '')
    const work = await mkdtemp(join(outputDir, '.backup-'))
    const file = join(outputDir, `opbx-backup-${stamp}.tar`)
    const database = env.get('DB_DATABASE')
    try {
      // One snapshot for the counts and the dump: the transaction stays open until pg_dump
      // has attached to the snapshot it exported.
      const tables = await db.transaction(
        async (trx) => {
          const exported = await trx.rawQuery('select pg_export_snapshot() as id')
          const snapshot = exported.rows[0].id as string
          const counts = await countRows((sql) => trx.rawQuery(sql))
          await tool('pg_dump', [
            ...pgArgs(database),
            '--format=custom',
            '--no-owner',
            `--snapshot=${snapshot}`,
            '--file',
            join(work, 'database.dump'),
          ])
          return counts
        },
        { isolationLevel: 'repeatable read' },
      )

      const root = storageRoot()
      await mkdir(root, { recursive: true })
      const storage = await walk(root)
      await tool('tar', ['-czf', join(work, 'storage.tar.gz'), '-C', root, '.'])

      const manifest: Manifest = {
        format: MANIFEST_FORMAT,
        createdAt: new Date().toISOString(),
        version: build.version,
        commit: build.commit,
        database: { name: database, tables },
        storage,
      }
      await writeFile(join(work, 'manifest.json'), JSON.stringify(manifest, null, 2))
      await tool('tar', [
        '-cf',
        file,
        '-C',
        work,
        'manifest.json',
        'database.dump',
        'storage.tar.gz',
      ])
      return { file, manifest }
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  }

  async readManifest(file: string, into: string): Promise<Manifest> {
    await tool('tar', ['-xf', resolve(file), '-C', into])
    let manifest: Manifest
    try {
      manifest = JSON.parse(await readFile(join(into, 'manifest.json'), 'utf8')) as Manifest
    } catch {
      throw new BackupError(`${file} is not an OPBX backup (no readable manifest.json)`)
    }
    if (manifest.format !== MANIFEST_FORMAT)
      throw new BackupError(
        `unsupported backup format ${manifest.format} (expected ${MANIFEST_FORMAT})`,
      )
    return manifest
  }

  /**
   * Restores into `database` (created when missing) and `storageDir`. A target that already
   * holds tables or files is refused unless `force`, which drops and recreates the database
   * and empties the directory first. Afterwards every table's row count is compared with
   * the manifest.
   */
  async restore(file: string, options: { database: string; storageDir: string; force?: boolean }) {
    if (!DATABASE_NAME.test(options.database))
      throw new BackupError(
        `--database must be a plain PostgreSQL name (letters, digits, _), got "${options.database}"`,
      )
    const work = await mkdtemp(join(app.makePath('tmp'), 'restore-'))
    try {
      const manifest = await this.readManifest(file, work)
      const storageDir = resolve(options.storageDir)

      await withDatabase('postgres', async (admin) => {
        const found = await admin.rawQuery('select 1 from pg_database where datname = ?', [
          options.database,
        ])
        const exists = found.rows.length > 0
        if (exists && !options.force) {
          const tables = await this.#tableCount(options.database)
          if (tables > 0)
            throw new BackupError(
              `database "${options.database}" already holds ${tables} table(s); restore into a new database or pass --force to replace it`,
            )
        }
        if (!options.force && !(await isEmptyDir(storageDir)))
          throw new BackupError(
            `storage directory ${storageDir} is not empty; pick another with --storage or pass --force to replace it`,
          )
        if (exists && options.force)
          await admin.rawQuery(`drop database "${options.database}" with (force)`)
        if (!exists || options.force) await admin.rawQuery(`create database "${options.database}"`)
      })

      await tool('pg_restore', [
        ...pgArgs(options.database),
        '--no-owner',
        '--exit-on-error',
        join(work, 'database.dump'),
      ])
      if (options.force) await rm(storageDir, { recursive: true, force: true })
      await mkdir(storageDir, { recursive: true })
      await tool('tar', ['-xzf', join(work, 'storage.tar.gz'), '-C', storageDir])

      const restored = await this.countDatabase(options.database)
      const mismatches = Object.entries(manifest.database.tables)
        .filter(([table, expected]) => restored[table] !== expected)
        .map(([table, expected]) => ({ table, expected, actual: restored[table] ?? null }))
      const storage = await walk(storageDir)
      return { manifest, restored, mismatches, storage }
    } finally {
      await rm(work, { recursive: true, force: true })
    }
  }

  countDatabase(database: string) {
    return withDatabase(database, (client) => countRows((sql) => client.rawQuery(sql)))
  }

  #tableCount(database: string) {
    return withDatabase(database, async (client) => {
      const result = await client.rawQuery(
        "select count(*)::int as n from pg_tables where schemaname = 'public'",
      )
      const [{ n }] = result.rows
      return n as number
    })
  }
}
