import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import RetentionService, { type RetentionProgress } from '#services/retention/retention_service'

/**
 * Applies retention now, the same way the worker's daily job does: per organization, in
 * batches, printing progress. `--dry-run` only counts what would go.
 */
export default class RetentionRun extends BaseCommand {
  static commandName = 'retention:run'
  static description =
    "Delete call logs, CDRs, recordings, voicemails and audit rows past each organization's retention settings"
  static options: CommandOptions = { startApp: true }

  @flags.boolean({ description: 'Count what would be deleted; delete nothing' })
  declare dryRun: boolean

  @flags.string({ description: 'Only this organization (id)' })
  declare organization: string | undefined

  @flags.number({ description: 'Rows per batch (one short transaction each)', default: 500 })
  declare batchSize: number

  async run() {
    let organizationId: number | undefined
    if (this.organization !== undefined) {
      organizationId = Number(this.organization)
      if (!Number.isInteger(organizationId) || organizationId <= 0) {
        this.logger.error(
          `--organization must be a positive integer id, got "${this.organization}"`,
        )
        this.exitCode = 1
        return
      }
    }
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1 || this.batchSize > 10_000) {
      this.logger.error('--batch-size must be an integer between 1 and 10000')
      this.exitCode = 1
      return
    }
    const service = new RetentionService()
    const known = organizationId === undefined || (await service.organizationIds(organizationId))
    if (known !== true && known.length === 0) {
      this.logger.error(`organization ${organizationId} does not exist`)
      this.exitCode = 1
      return
    }

    const verb = this.dryRun ? 'would delete' : 'deleted'
    const onProgress = (p: RetentionProgress) =>
      this.logger.info(`organization ${p.organizationId}: ${p.kind} ${verb} ${p.done}`)
    const reports = await service.runAll({
      dryRun: this.dryRun,
      organizationId,
      batchSize: this.batchSize,
      onProgress,
    })
    const totals = reports.reduce(
      (sum, report) => sum + Object.values(report.counts).reduce((a, b) => a + b, 0),
      0,
    )
    const files = reports.reduce((sum, report) => sum + report.filesDeleted, 0)
    const fileErrors = reports.reduce((sum, report) => sum + report.fileErrors, 0)
    this.logger.success(
      `${this.dryRun ? 'dry run: ' : ''}${reports.length} organization(s), ${totals} row(s) ${verb}` +
        (this.dryRun ? '' : `, ${files} file(s) removed`),
    )
    if (fileErrors > 0) {
      this.logger.error(`${fileErrors} file(s) could not be removed (see the storage root)`)
      this.exitCode = 1
    }
  }
}
