/**
 * What a benchmark reads back from a finished sipp run: the successful/failed counters of
 * its final screen and the response-time percentiles from its `-trace_rtt` CSV.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

export function sippResults(dir: string, output: string, decimals: number) {
  const rttFile = readdirSync(dir).find((file) => file.endsWith('_rtt.csv'))
  const rtts = rttFile
    ? readFileSync(join(dir, rttFile), 'utf8')
        .split('\n')
        .slice(1)
        .map((line) => Number(line.split(';')[1]))
        .filter((value) => Number.isFinite(value))
        .sort((a, b) => a - b)
    : []
  const counter = (name: string) =>
    Number(new RegExp(`${name}\\s+\\|\\s+\\d+\\s+\\|\\s+(\\d+)`).exec(output)?.[1] ?? Number.NaN)
  return {
    successful: counter('Successful call'),
    failed: counter('Failed call'),
    percentile: (p: number) =>
      rtts.length
        ? rtts[Math.min(rtts.length - 1, Math.floor((p / 100) * rtts.length))].toFixed(decimals)
        : 'n/a',
  }
}
