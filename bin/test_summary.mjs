// Adds up the per-runner counts written by the summary reporters into the one closing
// line CI reads. A runner that wrote no counts (crashed before the end) counts as a
// failure, and so does each failed static check (lint, format, typecheck).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const [dir, failedChecksArg, ...labels] = process.argv.slice(2)
let passed = 0
let failed = Number(failedChecksArg || 0)
if (failed > 0)
  console.log(`${failed} static check(s) failed (lint, format or typecheck): see above`)

for (const label of labels) {
  const file = join(dir, `${label}.json`)
  if (!existsSync(file)) {
    console.log(`${label}: the test runner ended without a result (crashed or did not start)`)
    failed += 1
    continue
  }
  const counts = JSON.parse(readFileSync(file, 'utf8'))
  passed += counts.passed
  failed += counts.failed
  if (counts.hasError && counts.failed === 0) {
    console.log(`${label}: the runner reported an error outside of tests (hooks)`)
    failed += 1
  }
}
console.log(`${passed} passed, ${failed} failed`)
process.exitCode = failed > 0 ? 1 : 0
