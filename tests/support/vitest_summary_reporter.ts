import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Reporter, TestModule } from 'vitest/node'

/**
 * Writes the component tests' counts where bin/test_summary.mjs adds up every runner's
 * (TEST_RESULTS_DIR/<label>.json, same shape as the Japa summary reporter). A file that
 * fails to load, or an error outside any test, is reported as `hasError`.
 */
export default class SummaryReporter implements Reporter {
  constructor(private label: string) {}

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>) {
    const counts = { passed: 0, failed: 0, skipped: 0, total: 0, hasError: false }
    for (const module of modules) {
      if (module.errors().length > 0) counts.hasError = true
      for (const test of module.children.allTests()) {
        const state = test.result().state
        counts.total += 1
        if (state === 'passed') counts.passed += 1
        else if (state === 'failed') counts.failed += 1
        else counts.skipped += 1
      }
    }
    if (unhandledErrors.length > 0) counts.hasError = true
    const dir = process.env.TEST_RESULTS_DIR
    if (dir) {
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, `${this.label}.json`), JSON.stringify(counts))
    }
    process.stdout.write(`${this.label}: ${counts.passed} passed, ${counts.failed} failed\n`)
  }
}
