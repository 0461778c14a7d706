import { createIgnitor } from './boot.js'
import { prettyPrintError } from '@adonisjs/core'

createIgnitor()
  .tap((app) => {
    // Before the server listens: see defineLimiterScript in start/limiter.ts.
    app.starting(async () => {
      const { defineLimiterScript } = await import('#start/limiter')
      defineLimiterScript()
    })
  })
  .httpServer()
  .start()
  .catch((error) => {
    process.exitCode = 1
    prettyPrintError(error)
  })
