import { createIgnitor } from './boot.js'
import { prettyPrintError } from '@adonisjs/core'
import type { Kernel } from '@adonisjs/core/ace'

createIgnitor()
  .ace()
  .configure(async (app) => {
    // `node ace --version`: what is deployed, the same figures /health reports.
    const kernel = (await app.container.make('ace')) as Kernel
    kernel.defineFlag('version', {
      type: 'boolean',
      description: 'Print the application version and git commit',
    })
    kernel.on('version', async (_command, $kernel) => {
      const { build } = await import('#services/version')
      $kernel.ui.logger.log(`opbx ${build.version} (commit ${build.commit})`)
      return $kernel.shortcircuit()
    })
  })
  .handle(process.argv.splice(2))
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
