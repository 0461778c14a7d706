import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import app from '@adonisjs/core/services/app'
import BackupService, { BackupError } from '#services/backup/backup_service'

/** One consistent backup file: database (pg_dump custom format), stored media, manifest. */
export default class BackupCreate extends BaseCommand {
  static commandName = 'backup:create'
  static description = 'Back up the database and the storage root into one .tar file'
  static options: CommandOptions = { startApp: true }

  @flags.string({ description: 'Directory the backup file is written to (default: ./backups)' })
  declare output: string | undefined

  async run() {
    try {
      const { file, manifest } = await new BackupService().create({
        outputDir: this.output ?? app.makePath('backups'),
      })
      const rows = Object.values(manifest.database.tables).reduce((a, b) => a + b, 0)
      const tables = Object.keys(manifest.database.tables).length
      this.logger.info(`database ${manifest.database.name}: ${tables} tables, ${rows} rows`)
      this.logger.info(`storage: ${manifest.storage.files} files, ${manifest.storage.bytes} bytes`)
      this.logger.success(
        `backup written to ${file} (version ${manifest.version}, ${manifest.commit})`,
      )
    } catch (error) {
      this.logger.error(error instanceof BackupError ? error.message : String(error))
      this.exitCode = 1
    }
  }
}
