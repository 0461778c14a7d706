import { BaseCommand, args, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import BackupService, { BackupError, storageRoot } from '#services/backup/backup_service'

/**
 * Restores a backup into a database (created when missing) and a storage directory, then
 * checks every table's row count against the manifest. Non-empty targets are refused
 * unless --force: a restore must never silently overwrite live data.
 */
export default class BackupRestore extends BaseCommand {
  static commandName = 'backup:restore'
  static description = 'Restore a backup file into a (new) database and storage directory'
  static options: CommandOptions = { startApp: true }

  @args.string({ description: 'Backup file written by backup:create' })
  declare file: string

  @flags.string({ description: 'Target database name (required)' })
  declare database: string | undefined

  @flags.string({ description: 'Target storage directory (default: STORAGE_ROOT)' })
  declare storage: string | undefined

  @flags.boolean({ description: 'Replace a non-empty database / storage directory' })
  declare force: boolean

  async run() {
    if (!this.database) {
      this.logger.error('--database=<name> is required (restore into a new database, then switch)')
      this.exitCode = 1
      return
    }
    try {
      const result = await new BackupService().restore(this.file, {
        database: this.database,
        storageDir: this.storage ?? storageRoot(),
        force: this.force,
      })
      const { manifest } = result
      this.logger.info(
        `backup of ${manifest.createdAt} (version ${manifest.version}, ${manifest.commit})`,
      )
      this.logger.info(`storage: ${result.storage.files} files restored`)
      for (const m of result.mismatches)
        this.logger.error(`${m.table}: ${m.actual ?? 'missing'} rows, manifest says ${m.expected}`)
      if (result.mismatches.length > 0 || result.storage.files !== manifest.storage.files) {
        this.logger.error('restore does not match the manifest')
        this.exitCode = 1
        return
      }
      const tables = Object.keys(result.restored).length
      this.logger.success(
        `restored into database ${this.database}: ${tables} tables, row counts match the manifest`,
      )
    } catch (error) {
      this.logger.error(error instanceof BackupError ? error.message : String(error))
      this.exitCode = 1
    }
  }
}
