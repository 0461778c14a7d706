import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { BaseReporter } from '@japa/runner/core'
import type { NamedReporterContract } from '@japa/runner/types'

/**
 * Prints "<label>: N passed, N failed" as the very last line of the run and, when
 * TEST_RESULTS_DIR is set, writes the counts there so the test command can add up the
 * counts of the app and voip-edge runners into one closing line for CI.
 *
 * The line is printed on process exit because other reporters and teardown hooks may
 * still write after `end()`.
 */
class SummaryReporter extends BaseReporter {
  readonly #label: string

  constructor(label: string) {
    super()
    this.#label = label
  }

  protected async end() {
    const summary = this.runner!.getSummary()
    const { passed, failed, skipped, total } = summary.aggregates
    const counts = { passed, failed, skipped, total, hasError: summary.hasError }
    const dir = process.env.TEST_RESULTS_DIR
    if (dir) {
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, `${this.#label}.json`), JSON.stringify(counts))
    }
    process.once('exit', () => {
      process.stdout.write(`${this.#label}: ${passed} passed, ${failed} failed\n`)
    })
  }
}

export function summaryReporter(label: string): NamedReporterContract {
  return { name: 'summary', handler: (...args) => new SummaryReporter(label).boot(...args) }
}
