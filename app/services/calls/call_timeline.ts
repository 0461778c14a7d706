import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type { RecordedCall } from '#services/calls/call_recorder'
import type { CallState } from '#services/calls/call_state'

/*
 * One row of a call's timeline per event, written in the transaction that applied it to
 * the call log, so the timeline and the log never disagree. `details` keeps a short,
 * fixed subset of the payload (times, direction, reason): never the whole body.
 */

export type TimelineSource = 'session-update' | 'cdr' | 'compat'

export type TimelineEntry = {
  organizationId: number
  source: TimelineSource
  status: string | null
  state: CallState | null
  eventId?: string | null
  /* When it happened according to the sender; arrival time when it does not say. */
  occurredAt?: DateTime | null
  details: Record<string, string | number | null | undefined>
}

export async function appendTimeline(
  trx: TransactionClientContract,
  recorded: RecordedCall,
  entry: TimelineEntry,
) {
  const now = DateTime.now()
  const details = Object.fromEntries(
    Object.entries(entry.details).filter(([, value]) => value !== undefined && value !== null),
  )
  const row = {
    organization_id: entry.organizationId,
    call_log_id: recorded.row.id,
    source: entry.source,
    status: entry.status?.slice(0, 50) ?? null,
    state: entry.state,
    previous_state: recorded.previous,
    applied: recorded.transition?.changed ?? false,
    ignored_reason: recorded.transition?.ignored ?? null,
    event_id: entry.eventId ?? null,
    occurred_at: (entry.occurredAt ?? now).toJSDate(),
    received_at: now.toJSDate(),
    details: JSON.stringify(details),
  }
  const columns = Object.keys(row)
  // A redelivered event id is kept once (partial unique index, so the WHERE is required).
  await trx.rawQuery(
    `INSERT INTO call_events (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})
     ON CONFLICT (organization_id, source, event_id) WHERE event_id IS NOT NULL DO NOTHING`,
    Object.values(row) as (string | number | boolean | Date)[],
  )
}

type EventRow = {
  id: string | number
  source: string
  status: string | null
  state: string | null
  previous_state: string
  applied: boolean
  ignored_reason: string | null
  occurred_at: Date
  received_at: Date
  details: Record<string, unknown>
}

export const TIMELINE_LIMIT = 500

/**
 * The events that built one call log, in the order they happened (sender's time, then
 * arrival). The caller has already found the call log under the viewer's visibility
 * (CallHistory), so this only reads that call's rows.
 */
export async function timelineOf(log: { id: number; organizationId: number }) {
  const rows: EventRow[] = await db
    .from('call_events')
    .where('organization_id', log.organizationId)
    .where('call_log_id', log.id)
    .orderBy('occurred_at')
    .orderBy('received_at')
    .orderBy('id')
    .limit(TIMELINE_LIMIT)
  return rows.map((row) => ({
    id: Number(row.id),
    source: row.source,
    status: row.status,
    state: row.state,
    previousState: row.previous_state,
    applied: row.applied,
    ignoredReason: row.ignored_reason,
    occurredAt: row.occurred_at.toISOString(),
    receivedAt: row.received_at.toISOString(),
    details: row.details,
  }))
}
