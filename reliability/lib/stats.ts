/** Latency and status bookkeeping shared by the load suites. */
export type Sample = { status: number; ms: number }

export class Recorder {
  readonly latencies: number[] = []
  /* Latencies of answered requests (2xx) only: what a client that got through waited. */
  readonly accepted: number[] = []
  readonly statuses: Record<string, number> = {}
  count = 0

  add(sample: Sample) {
    this.count += 1
    this.latencies.push(sample.ms)
    if (sample.status >= 200 && sample.status < 300) this.accepted.push(sample.ms)
    const key = sample.status === 0 ? 'timeout/refused' : String(sample.status)
    this.statuses[key] = (this.statuses[key] ?? 0) + 1
  }

  percentile(p: number, of: 'all' | 'accepted' = 'all') {
    const values = of === 'all' ? this.latencies : this.accepted
    if (values.length === 0) return 0
    const sorted = [...values].sort((a, b) => a - b)
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]
  }

  /** Requests whose status is in `statuses` (numbers or 'timeout/refused'). */
  countOf(predicate: (status: string) => boolean) {
    return Object.entries(this.statuses)
      .filter(([status]) => predicate(status))
      .reduce((sum, [, n]) => sum + n, 0)
  }
}

export const ms = (value: number) => `${value.toFixed(0)} ms`
export const pct = (part: number, whole: number) =>
  whole === 0 ? '0 %' : `${((100 * part) / whole).toFixed(part === 0 ? 0 : 2)} %`
