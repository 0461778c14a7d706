import { BaseCommand, flags } from '@adonisjs/core/ace'
import type { CommandOptions } from '@adonisjs/core/types/ace'
import { selfTest } from '#services/health/self_test'

/** Checks configuration and dependencies; one line per problem, non-zero exit on any. */
export default class Doctor extends BaseCommand {
  static commandName = 'doctor'
  static description =
    'Check configuration, database, migrations, Redis, storage (and the HTTP port)'
  static options: CommandOptions = { startApp: true }

  @flags.boolean({
    description: 'Also check that the HTTP port is free (before starting the server)',
  })
  declare startup: boolean

  async run() {
    const problems = await selfTest({ checkPortFree: this.startup })
    for (const problem of problems) this.logger.error(`${problem.check}: ${problem.message}`)
    if (problems.length > 0) {
      this.exitCode = 1
      return
    }
    this.logger.success('all checks passed')
  }
}
