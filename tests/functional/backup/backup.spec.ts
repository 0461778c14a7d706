import { test } from '@japa/runner'
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import ace from '@adonisjs/core/services/ace'
import app from '@adonisjs/core/services/app'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import BackupCreate from '#commands/backup_create'
import BackupRestore from '#commands/backup_restore'
import BackupService from '#services/backup/backup_service'
import storage, { tenantKey } from '#services/storage/storage'
import { createTenant } from '#tests/helpers'
import { insertCallLogs } from '#tests/functional/call_logs/fixtures'

/*
 * pg_dump runs in its own process and only sees committed rows, so this group writes
 * real data (no rolled-back test transaction) and removes it afterwards.
 */
async function dropDatabase(name: string) {
  await db.rawQuery(`drop database if exists "${name}" with (force)`)
}

test.group('Backups', (group) => {
  const restoreDb = `${env.get('DB_DATABASE')}_restore_${process.pid}`
  let dir: string
  const organizations: number[] = []
  group.setup(async () => {
    dir = await mkdtemp(join(app.makePath('tmp'), 'backup-test-'))
    ace.ui.switchMode('raw')
    return async () => {
      ace.ui.switchMode('normal')
      await dropDatabase(restoreDb)
      await rm(dir, { recursive: true, force: true })
      await db.from('users').whereIn('organization_id', organizations).delete()
      await db.from('organizations').whereIn('id', organizations).delete()
    }
  })

  test('backup:create then backup:restore into a fresh database gives the same rows and files', async ({
    assert,
  }) => {
    const tenant = await createTenant()
    organizations.push(tenant.organization.id)
    await insertCallLogs(tenant.organization.id, 25)
    const key = tenantKey(tenant.organization.id, 'recordings', 'wav')
    await storage.put(key, Buffer.from('RIFF----WAVEbackup-me'))

    const create = await ace.create(BackupCreate, [`--output=${join(dir, 'out')}`])
    await create.exec()
    create.assertSucceeded()
    const written = create.ui.logger
      .getLogs()
      .map((log) => log.message)
      .join('\n')
      .match(/backup written to (\S+\.tar)/)
    assert.isNotNull(written, 'the command names the file it wrote')
    const file = written![1]

    const live = await new BackupService().countDatabase(env.get('DB_DATABASE'))
    assert.isAtLeast(live.call_logs, 25)

    const storageDir = join(dir, 'restored-storage')
    const restore = await ace.create(BackupRestore, [
      file,
      `--database=${restoreDb}`,
      `--storage=${storageDir}`,
    ])
    await restore.exec()
    restore.assertSucceeded()
    restore.assertLogMatches(/row counts match the manifest/)

    // Compared with the live database itself, not only with the manifest.
    const restored = await new BackupService().countDatabase(restoreDb)
    assert.deepEqual(restored, live)
    assert.equal(
      await readFile(join(storageDir, key), 'utf8'),
      'RIFF----WAVEbackup-me',
      'stored media comes back',
    )

    // A second restore into the now non-empty database is refused, and changes nothing.
    const again = await ace.create(BackupRestore, [
      file,
      `--database=${restoreDb}`,
      `--storage=${join(dir, 'other-storage')}`,
    ])
    await again.exec()
    again.assertFailed()
    again.assertLogMatches(/already holds \d+ table\(s\).*--force/)

    const forced = await ace.create(BackupRestore, [
      file,
      `--database=${restoreDb}`,
      `--storage=${storageDir}`,
      '--force',
    ])
    await forced.exec()
    forced.assertSucceeded()
    assert.deepEqual(await new BackupService().countDatabase(restoreDb), live)
    await storage.delete(key)
  }).timeout(120_000)

  test('bad input is a clear error and a non-zero exit', async () => {
    const noDatabase = await ace.create(BackupRestore, ['whatever.tar'])
    await noDatabase.exec()
    noDatabase.assertFailed()
    noDatabase.assertLogMatches(/--database=<name> is required/)

    const badName = await ace.create(BackupRestore, ['whatever.tar', '--database=x; drop'])
    await badName.exec()
    badName.assertFailed()
    badName.assertLogMatches(/plain PostgreSQL name/)

    const notABackup = join(dir, 'not-a-backup.tar')
    await writeFile(join(dir, 'notes.txt'), 'not a manifest')
    execFileSync('tar', ['-cf', notABackup, '-C', dir, 'notes.txt'])
    const wrong = await ace.create(BackupRestore, [notABackup, `--database=${restoreDb}_x`])
    await wrong.exec()
    wrong.assertFailed()
    wrong.assertLogMatches(/not an OPBX backup/)
    const missing = await ace.create(BackupRestore, [
      join(dir, 'missing.tar'),
      `--database=${restoreDb}_x`,
    ])
    await missing.exec()
    missing.assertFailed()
    missing.assertLogMatches(/tar failed/)
  }).timeout(60_000)
})
