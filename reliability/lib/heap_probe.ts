/**
 * Preloaded into a process under test (NODE_OPTIONS="--expose-gc --import <this file>",
 * with HEAP_PROBE_FILE set): on SIGUSR2 it collects garbage and appends the JS heap still
 * in use to that file. RSS alone cannot tell a leak from memory V8 and the allocator keep
 * after a burst; the heap left after a full collection can.
 */
import { appendFileSync } from 'node:fs'

const file = process.env.HEAP_PROBE_FILE
const collect = (globalThis as { gc?: () => void }).gc
if (file && collect) {
  process.on('SIGUSR2', () => {
    collect()
    appendFileSync(file, `${process.memoryUsage().heapUsed}\n`)
  })
}
