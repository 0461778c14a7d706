/**
 * What a benchmark reads back from a finished sipp run: the successful/failed counters of
 * its final screen and the response-time percentiles from its `-trace_rtt` CSV.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

export function sippResults(dir: string, output: string, decimals: number) {
  const rttFile = readdirSync(dir).find((file) => file.endsWith('_rtt.csv'))
  // Rows are `date_ms;response_time_ms;rtd_no`.
  const rows = rttFile
    ? readFileSync(join(dir, rttFile), 'utf8')
        .split('\n')
        .slice(1)
        .map((line) => line.split(';'))
    : []
  const sorted = (rtd: number | null) =>
    rows
      .filter((fields) => rtd === null || Number(fields[2]) === rtd)
      .map((fields) => Number(fields[1]))
      .filter((value) => Number.isFinite(value))
      .sort((a, b) => a - b)
  const rtts = sorted(null)
  const counter = (name: string) =>
    Number(new RegExp(`${name}\\s+\\|\\s+\\d+\\s+\\|\\s+(\\d+)`).exec(output)?.[1] ?? Number.NaN)
  return {
    successful: counter('Successful call'),
    failed: counter('Failed call'),
    percentile: (p: number, rtd: number | null = null) => {
      const values = rtd === null ? rtts : sorted(rtd)
      return values.length
        ? values[Math.min(values.length - 1, Math.floor((p / 100) * values.length))].toFixed(
            decimals,
          )
        : 'n/a'
    },
  }
}
