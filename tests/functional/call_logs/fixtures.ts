import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { QueryClientContract } from '@adonisjs/lucid/types/database'

let sequence = 0

/*
 * The execution plane writes call history; these tests insert rows directly, in bulk,
 * the way it will.
 */
export async function insertCallLogs(
  organizationId: number,
  count: number,
  overrides: Record<string, unknown> = {},
  client: Pick<QueryClientContract, 'table'> = db,
) {
  const base = DateTime.fromISO('2026-03-01T10:00:00Z')
  const rows = Array.from({ length: count }, (_, i) => {
    sequence += 1
    return {
      organization_id: organizationId,
      call_id: `call-${sequence}-${Math.random().toString(36).slice(2)}`,
      direction: 'inbound',
      from_number: `+1555000${String(sequence % 10000).padStart(4, '0')}`,
      to_number: '1001',
      status: 'completed',
      initiated_at: base.plus({ minutes: i }).toJSDate(),
      duration_seconds: 10 + i,
      created_at: new Date(),
      updated_at: new Date(),
      ...overrides,
    }
  })
  const ids: number[] = []
  for (let i = 0; i < rows.length; i += 500) {
    const inserted = await client
      .table('call_logs')
      .insert(rows.slice(i, i + 500))
      .returning('id')
    ids.push(...inserted.map((r: { id: number }) => r.id))
  }
  return ids
}

export async function insertCdrs(
  organizationId: number,
  count: number,
  overrides: Record<string, unknown> = {},
  client: Pick<QueryClientContract, 'table'> = db,
) {
  const base = DateTime.fromISO('2026-03-01T10:00:00Z')
  const rows = Array.from({ length: count }, (_, i) => {
    sequence += 1
    const token = `${sequence}${Math.random().toString(16).slice(2)}`.padEnd(32, '0')
    return {
      organization_id: organizationId,
      session_timestamp: base.plus({ minutes: i }).toJSDate(),
      session_token: token,
      session_id: 21956157 + sequence,
      call_id: `${token}@10.0.0.1:5060`,
      from: '+15550001111',
      to: '2000',
      disposition: 'CONNECTED',
      duration: 30 + i,
      billsec: 25 + i,
      domain: 'acme.cloudonix.net',
      rated_cost: '0.0125',
      raw_cdr: JSON.stringify({ call_id: `${token}@10.0.0.1:5060`, session: { token } }),
      created_at: new Date(),
      updated_at: new Date(),
      ...overrides,
    }
  })
  const inserted = await client.table('call_detail_records').insert(rows).returning('id')
  return inserted.map((r: { id: number }) => r.id)
}
