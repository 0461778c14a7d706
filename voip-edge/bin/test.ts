/*
 * voip-edge has its own Japa runner: it does not boot the AdonisJS app, so its suites run
 * against real sockets, sipp and rtpengine without the web app's database setup.
 */
import { assert } from '@japa/assert'
import { spec } from '@japa/runner/reporters'
import { configure, processCLIArgs, run } from '@japa/runner'
import { summaryReporter } from '../tests/support/summary_reporter.ts'

processCLIArgs(process.argv.splice(2))
configure({
  suites: [
    { name: 'unit', files: ['tests/unit/**/*.spec.ts'], timeout: 10_000 },
    { name: 'integration', files: ['tests/integration/**/*.spec.ts'], timeout: 120_000 },
    { name: 'reliability', files: ['tests/reliability/**/*.spec.ts'], timeout: 600_000 },
  ],
  plugins: [assert()],
  reporters: {
    activated: ['spec', 'summary'],
    list: [spec(), summaryReporter('voip-edge')],
  },
  forceExit: true,
})

await run()
