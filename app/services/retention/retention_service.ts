import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type { DatabaseQueryBuilderContract } from '@adonisjs/lucid/types/querybuilder'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import storage from '#services/storage/storage'

/*
 * Deletes what each tenant's retention settings say is too old: call logs and CDRs, call
 * recordings (files and the link to them), voicemail messages (files and rows) and audit
 * rows, and prompts/recordings deleted from the library longer ago than the recording
 * retention (a soft delete keeps the file for a restore until then). Every statement is rooted in one organization_id; rows go in batches (one short
 * transaction each, so a big backlog never holds long locks or one huge WAL burst), and a
 * file is removed only after its row's deletion committed: a crash leaves at worst an
 * orphaned file, never a row pointing at a missing one.
 */

export const RETENTION_KINDS = [
  'call_logs',
  'cdrs',
  'recordings',
  'deleted_prompts',
  'voicemails',
  'audit_logs',
] as const
export type RetentionKind = (typeof RETENTION_KINDS)[number]

/* The organization_settings column defaults, for organizations that never saved settings. */
export const DEFAULT_POLICY = {
  callLogsDays: 365,
  recordingsDays: 90,
  voicemailDays: 90,
  auditDays: 365,
}
export type RetentionPolicy = typeof DEFAULT_POLICY

export type RetentionProgress = {
  organizationId: number
  kind: RetentionKind
  /** Rows deleted (or, in a dry run, that would be) so far for this kind. */
  done: number
  dryRun: boolean
}

export type RetentionOptions = {
  dryRun?: boolean
  batchSize?: number
  now?: DateTime
  onProgress?: (progress: RetentionProgress) => void
}

export type RetentionReport = {
  organizationId: number
  dryRun: boolean
  policy: RetentionPolicy
  counts: Record<RetentionKind, number>
  filesDeleted: number
  fileErrors: number
}

type Purge = {
  kind: RetentionKind
  table: string
  /** Selects `id` (and `file` when the row owns a stored file) of the expired rows. */
  select: () => DatabaseQueryBuilderContract
  /** Default: delete the rows. Recordings keep the call log and only drop the link. */
  apply?: (ids: number[], trx: TransactionClientContract) => Promise<unknown>
}

export default class RetentionService {
  async policyFor(organizationId: number): Promise<RetentionPolicy> {
    const row = await db
      .from('organization_settings')
      .where('organization_id', organizationId)
      .select(
        'call_log_retention_days',
        'recording_retention_days',
        'voicemail_retention_days',
        'audit_log_retention_days',
      )
      .first()
    if (!row) return { ...DEFAULT_POLICY }
    return {
      callLogsDays: row.call_log_retention_days,
      recordingsDays: row.recording_retention_days,
      voicemailDays: row.voicemail_retention_days,
      auditDays: row.audit_log_retention_days,
    }
  }

  /** Every organization (deleted ones too: their data is kept only as long as anyone's). */
  async organizationIds(only?: number) {
    const rows = await db
      .from('organizations')
      .if(only !== undefined, (q) => q.where('id', only!))
      .orderBy('id')
      .select('id')
    return rows.map((row: { id: number }) => row.id)
  }

  async runAll(options: RetentionOptions & { organizationId?: number } = {}) {
    const reports: RetentionReport[] = []
    for (const id of await this.organizationIds(options.organizationId))
      reports.push(await this.run(id, options))
    return reports
  }

  async run(organizationId: number, options: RetentionOptions = {}): Promise<RetentionReport> {
    const policy = await this.policyFor(organizationId)
    const now = options.now ?? DateTime.now()
    const before = (days: number) => now.minus({ days }).toJSDate()
    const dryRun = options.dryRun ?? false
    const report: RetentionReport = {
      organizationId,
      dryRun,
      policy,
      counts: {
        call_logs: 0,
        cdrs: 0,
        recordings: 0,
        deleted_prompts: 0,
        voicemails: 0,
        audit_logs: 0,
      },
      filesDeleted: 0,
      fileErrors: 0,
    }

    const purges: Purge[] = [
      {
        // Recordings first: a call log that is also past its own retention then goes with
        // its file already removed and counted once, as a recording.
        kind: 'recordings',
        table: 'call_logs',
        select: () =>
          db
            .from('call_logs')
            .where('organization_id', organizationId)
            .whereNotNull('recording_key')
            .where('initiated_at', '<', before(policy.recordingsDays))
            .select('id', 'recording_key as file'),
        apply: (ids, trx) =>
          trx
            .from('call_logs')
            .where('organization_id', organizationId)
            .whereIn('id', ids)
            .update({ recording_key: null, updated_at: now.toJSDate() }),
      },
      {
        kind: 'call_logs',
        table: 'call_logs',
        select: () =>
          db
            .from('call_logs')
            .where('organization_id', organizationId)
            .where('initiated_at', '<', before(policy.callLogsDays))
            .select('id', 'recording_key as file'),
      },
      {
        kind: 'cdrs',
        table: 'call_detail_records',
        select: () =>
          db
            .from('call_detail_records')
            .where('organization_id', organizationId)
            .where('session_timestamp', '<', before(policy.callLogsDays))
            .select('id'),
      },
      {
        // A mailbox may keep messages for less than the organization allows, never longer.
        kind: 'voicemails',
        table: 'voicemail_messages',
        select: () =>
          db
            .from('voicemail_messages as m')
            .leftJoin('voicemail_boxes as b', (join) =>
              join
                .on('b.extension_id', 'm.extension_id')
                .andOn('b.organization_id', 'm.organization_id'),
            )
            .where('m.organization_id', organizationId)
            .whereRaw(
              'm.received_at < ?::timestamptz - make_interval(days => least(coalesce(b.retention_days, ?), ?))',
              [now.toJSDate(), policy.voicemailDays, policy.voicemailDays],
            )
            .select('m.id', 'm.audio_key as file'),
      },
      {
        kind: 'deleted_prompts',
        table: 'recordings',
        select: () =>
          db
            .from('recordings')
            .where('organization_id', organizationId)
            .where('deleted_at', '<', before(policy.recordingsDays))
            .select('id', 'storage_key as file'),
      },
      {
        kind: 'audit_logs',
        table: 'audit_logs',
        select: () =>
          db
            .from('audit_logs')
            .where('organization_id', organizationId)
            .where('created_at', '<', before(policy.auditDays))
            .select('id'),
      },
    ]

    for (const purge of purges) {
      const progress = (done: number) =>
        options.onProgress?.({ organizationId, kind: purge.kind, done, dryRun })
      if (dryRun) {
        const [{ total }] = await db.from(purge.select().as('expired')).count('* as total')
        report.counts[purge.kind] = Number(total)
        if (report.counts[purge.kind] > 0) progress(report.counts[purge.kind])
        continue
      }
      await this.#purge(purge, organizationId, options.batchSize ?? 500, report, progress)
    }
    return report
  }

  async #purge(
    purge: Purge,
    organizationId: number,
    batchSize: number,
    report: RetentionReport,
    progress: (done: number) => void,
  ) {
    for (;;) {
      const rows = (await purge
        .select()
        .orderBy(purge.kind === 'voicemails' ? 'm.id' : 'id')
        .limit(batchSize)) as { id: number; file?: string | null }[]
      if (rows.length === 0) return
      const ids = rows.map((row) => row.id)
      await db.transaction(async (trx) => {
        if (purge.apply) await purge.apply(ids, trx)
        else
          await trx
            .from(purge.table)
            .where('organization_id', organizationId)
            .whereIn('id', ids)
            .delete()
      })
      for (const file of rows.map((row) => row.file).filter((f): f is string => !!f)) {
        // Keys are `<organizationId>/…` by construction; anything else is not this tenant's.
        if (!file.startsWith(`${organizationId}/`)) {
          report.fileErrors += 1
          continue
        }
        try {
          await storage.delete(file)
          report.filesDeleted += 1
        } catch {
          report.fileErrors += 1
        }
      }
      report.counts[purge.kind] += rows.length
      progress(report.counts[purge.kind])
    }
  }
}
