import { Readable } from 'node:stream'
import { inject } from '@adonisjs/core'
import db from '@adonisjs/lucid/services/db'
import { DateTime } from 'luxon'
import type { HttpContext } from '@adonisjs/core/http'
import type Organization from '#models/organization'
import type User from '#models/user'
import CallHistory, { type CallFilters } from '#services/call_logs/call_history'

export const CSV_BATCH_SIZE = 500

const COLUMNS = [
  'id',
  'call_id',
  'direction',
  'from_number',
  'to_number',
  'status',
  'initiated_at',
  'answered_at',
  'ended_at',
  'duration_seconds',
  'extension_id',
  'phone_number_id',
] as const

type Row = Record<(typeof COLUMNS)[number] | 'cursor_at', unknown>

/*
 * RFC 4180 quoting, plus neutralising cells a spreadsheet would run as a formula
 * (=, +, -, @ …). Phone numbers such as "+15551234567" are data, so they are left alone.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return ''
  let text = value instanceof Date ? value.toISOString() : String(value)
  if (/^[=+\-@\t\r]/.test(text) && !/^\+?[0-9]+$/.test(text)) text = `'${text}`
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/**
 * Streams the filtered call logs as CSV, newest first, in keyset batches: memory stays
 * flat whatever the row count, and the response starts before the last row is read. The
 * cursor keeps the timestamp as PostgreSQL text so microseconds survive the round trip.
 */
@inject()
export default class CallLogCsv {
  constructor(protected history: CallHistory) {}

  stream(organization: Organization, viewer: Pick<User, 'id' | 'role'>, filters: CallFilters) {
    return Readable.from(this.#lines(organization, viewer, filters))
  }

  /** Streams the file as a download (API export and the web page's button alike). */
  download(
    response: HttpContext['response'],
    organization: Organization,
    viewer: Pick<User, 'id' | 'role'>,
    filters: CallFilters,
  ) {
    const name = `call-logs-${DateTime.utc().toFormat("yyyyLLdd'T'HHmmss")}.csv`
    response.header('Content-Type', 'text/csv; charset=utf-8')
    response.header('Content-Disposition', `attachment; filename="${name}"`)
    response.header('Cache-Control', 'no-store')
    response.stream(this.stream(organization, viewer, filters))
  }

  async *#lines(organization: Organization, viewer: Pick<User, 'id' | 'role'>, f: CallFilters) {
    yield `${COLUMNS.join(',')}\r\n`
    let cursor: { at: string; id: number } | null = null
    while (true) {
      const query = this.history
        .callLogs(organization, viewer, f)
        .select(COLUMNS.map((c) => `call_logs.${c}`))
        .select(db.raw('call_logs.initiated_at::text AS cursor_at'))
      if (cursor)
        query.whereRaw('(call_logs.initiated_at, call_logs.id) < (?::timestamptz, ?)', [
          cursor.at,
          cursor.id,
        ] as [string, number])
      const rows: Row[] = await query
        .orderBy('call_logs.initiated_at', 'desc')
        .orderBy('call_logs.id', 'desc')
        .limit(CSV_BATCH_SIZE)
        .pojo<Row>()
      if (rows.length > 0)
        yield rows.map((row) => `${COLUMNS.map((c) => csvCell(row[c])).join(',')}\r\n`).join('')
      if (rows.length < CSV_BATCH_SIZE) return
      const last = rows[rows.length - 1]
      cursor = { at: String(last.cursor_at), id: Number(last.id) }
    }
  }
}
