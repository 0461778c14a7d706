import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import ace from '@adonisjs/core/services/ace'
import db from '@adonisjs/lucid/services/db'
import RetentionRun from '#commands/retention_run'
import storage, { tenantKey } from '#services/storage/storage'
import { createTenant, isolate } from '#tests/helpers'
import { insertCallLogs, insertCdrs } from '#tests/functional/call_logs/fixtures'
import { makeExtension, makeVoicemail } from '#tests/functional/extensions/support'
import type Organization from '#models/organization'
import logger from '@adonisjs/core/services/logger'
import queueService from '#services/queue/queue_service'
import RetentionJob from '#jobs/retention_job'
import RetentionSweepJob, { RETENTION_CRON } from '#jobs/retention_sweep_job'

const daysAgo = (days: number) => DateTime.now().minus({ days })

/*
 * One tenant's history at three ages: 400 days (past every setting), 20 days (past the
 * short recording/voicemail settings only) and 1 day (kept everywhere).
 */
async function seed(organization: Organization) {
  const recording = async () => {
    const key = tenantKey(organization.id, 'recordings', 'wav')
    await storage.put(key, Buffer.from('RIFF----WAVErecording'))
    return key
  }
  const calls: Record<string, { id: number; file: string }> = {}
  for (const [age, days] of [
    ['old', 400],
    ['mid', 20],
    ['new', 1],
  ] as const) {
    const file = await recording()
    const [id] = await insertCallLogs(organization.id, 1, {
      initiated_at: daysAgo(days).toJSDate(),
      recording_key: file,
    })
    calls[age] = { id, file }
  }
  // Three more old calls without recordings, so batches of two take several rounds.
  await insertCallLogs(organization.id, 3, { initiated_at: daysAgo(500).toJSDate() })
  await insertCdrs(organization.id, 2, { session_timestamp: daysAgo(400).toJSDate() })
  await insertCdrs(organization.id, 1, { session_timestamp: daysAgo(1).toJSDate() })

  const extension = await makeExtension(organization)
  const voicemails: Record<string, { id: number; file: string }> = {}
  for (const [age, days] of [
    ['old', 400],
    ['mid', 20],
    ['new', 1],
  ] as const) {
    const message = await makeVoicemail(extension, { receivedAt: daysAgo(days) })
    voicemails[age] = { id: message.id, file: message.audioKey }
  }
  // Library prompts: one deleted long ago, one deleted yesterday, one live (old but kept).
  const prompts: Record<string, { id: number; file: string }> = {}
  for (const [age, deletedAt] of [
    ['longDeleted', daysAgo(400)],
    ['justDeleted', daysAgo(1)],
    ['live', null],
  ] as const) {
    const file = tenantKey(organization.id, 'prompts', 'wav')
    await storage.put(file, Buffer.from('RIFF----WAVEprompt'))
    const [row] = await db
      .table('recordings')
      .insert({
        organization_id: organization.id,
        name: `Prompt ${age}`,
        kind: 'upload',
        status: 'active',
        storage_key: file,
        created_at: daysAgo(500).toJSDate(),
        updated_at: daysAgo(500).toJSDate(),
        deleted_at: deletedAt?.toJSDate() ?? null,
      })
      .returning('id')
    prompts[age] = { id: row.id, file }
  }
  for (const days of [400, 1])
    await db.table('audit_logs').insert({
      organization_id: organization.id,
      action: 'test.seeded',
      created_at: daysAgo(days).toJSDate(),
    })
  return { calls, voicemails, prompts }
}

async function counts(organizationId: number) {
  const count = async (table: string, extra?: (q: any) => void) => {
    const query = db.from(table).where('organization_id', organizationId)
    extra?.(query)
    const [{ total }] = await query.count('* as total')
    return Number(total)
  }
  return {
    callLogs: await count('call_logs'),
    recordings: await count('call_logs', (q) => q.whereNotNull('recording_key')),
    cdrs: await count('call_detail_records'),
    voicemails: await count('voicemail_messages'),
    audit: await count('audit_logs', (q) => q.where('action', 'test.seeded')),
    prompts: await count('recordings'),
  }
}

async function setRetention(organization: Organization, days: Record<string, number>) {
  await db.table('organization_settings').insert({
    organization_id: organization.id,
    created_at: new Date(),
    updated_at: new Date(),
    ...days,
  })
}

async function runCommand(args: string[]) {
  const command = await ace.create(RetentionRun, args)
  await command.exec()
  return command
}

test.group('Retention', (group) => {
  isolate(group)
  group.each.setup(() => {
    ace.ui.switchMode('raw')
    return () => ace.ui.switchMode('normal')
  })

  test('deletes only the expired rows and files of the organization it runs for', async ({
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    await setRetention(a.organization, {
      call_log_retention_days: 30,
      recording_retention_days: 7,
      voicemail_retention_days: 10,
      audit_log_retention_days: 60,
    })
    // B keeps everything for ten years: the same ages are all within its settings.
    await setRetention(b.organization, {
      call_log_retention_days: 3650,
      recording_retention_days: 3650,
      voicemail_retention_days: 3650,
      audit_log_retention_days: 3650,
    })
    const seededA = await seed(a.organization)
    const seededB = await seed(b.organization)
    const beforeA = await counts(a.organization.id)
    const beforeB = await counts(b.organization.id)

    const dry = await runCommand(['--dry-run', `--organization=${a.organization.id}`])
    dry.assertSucceeded()
    assert.deepEqual(await counts(a.organization.id), beforeA, 'a dry run deletes nothing')
    for (const { file } of Object.values(seededA.calls)) assert.isNotNull(await storage.size(file))
    const dryLogs = dry.ui.logger.getLogs().map((log) => log.message)
    assert.include(
      dryLogs.join('\n'),
      `organization ${a.organization.id}: call_logs would delete 4`,
    )

    // Everything at once, in batches of two: B must come out untouched.
    const command = await runCommand(['--batch-size=2'])
    command.assertSucceeded()
    const logs = command.ui.logger.getLogs().map((log) => log.message)
    // 4 old call logs in batches of two: progress after each batch.
    assert.include(logs, `[ blue(info) ] organization ${a.organization.id}: call_logs deleted 2`)
    assert.include(logs, `[ blue(info) ] organization ${a.organization.id}: call_logs deleted 4`)

    assert.deepEqual(await counts(a.organization.id), {
      callLogs: 2, // mid (20 d) and new survive a 30-day setting
      recordings: 1, // only the new call keeps its recording under 7 days
      cdrs: 1,
      voicemails: 1, // only the 1-day message survives 10 days
      audit: 1,
      prompts: 2, // the prompt deleted 400 days ago is purged; yesterday's can still be restored
    })
    assert.deepEqual(await counts(b.organization.id), beforeB)

    const { calls, voicemails, prompts } = seededA
    assert.isNull(await storage.size(prompts.longDeleted.file))
    assert.isNotNull(await storage.size(prompts.justDeleted.file))
    assert.isNotNull(await storage.size(prompts.live.file))
    const remaining = await db
      .from('call_logs')
      .where('organization_id', a.organization.id)
      .orderBy('id')
      .select('id', 'recording_key')
    assert.deepEqual(remaining, [
      { id: calls.mid.id, recording_key: null },
      { id: calls.new.id, recording_key: calls.new.file },
    ])
    assert.isNull(await storage.size(calls.old.file))
    assert.isNull(await storage.size(calls.mid.file))
    assert.isNotNull(await storage.size(calls.new.file))
    assert.isNull(await storage.size(voicemails.old.file))
    assert.isNull(await storage.size(voicemails.mid.file))
    assert.isNotNull(await storage.size(voicemails.new.file))
    for (const { file } of [...Object.values(seededB.calls), ...Object.values(seededB.voicemails)])
      assert.isNotNull(await storage.size(file), 'B keeps its files')
  })

  test('a mailbox keeping messages for fewer days than the organization wins', async ({
    assert,
  }) => {
    const { organization } = await createTenant()
    await setRetention(organization, { voicemail_retention_days: 90 })
    const extension = await makeExtension(organization)
    await db.table('voicemail_boxes').insert({
      organization_id: organization.id,
      extension_id: extension.id,
      retention_days: 5,
      created_at: new Date(),
      updated_at: new Date(),
    })
    const old = await makeVoicemail(extension, { receivedAt: daysAgo(6) })
    const recent = await makeVoicemail(extension, { receivedAt: daysAgo(2) })
    ;(await runCommand([`--organization=${organization.id}`])).assertSucceeded()
    const left = await db.from('voicemail_messages').where('organization_id', organization.id)
    assert.deepEqual(
      left.map((row) => row.id),
      [recent.id],
    )
    assert.isNull(await storage.size(old.audioKey))
  })

  test('bad options are a clear error and a non-zero exit', async () => {
    const bad = await runCommand(['--organization=abc'])
    bad.assertFailed()
    bad.assertLogMatches(/--organization must be a positive integer id/)
    const missing = await runCommand(['--organization=2147483000'])
    missing.assertFailed()
    missing.assertLogMatches(/organization 2147483000 does not exist/)
  })

  test('the worker schedules a daily sweep that queues one job per organization', async ({
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    await setRetention(a.organization, { audit_log_retention_days: 30 })
    await db.table('audit_logs').insert({
      organization_id: a.organization.id,
      action: 'test.seeded',
      created_at: daysAgo(31).toJSDate(),
    })
    const queue = queueService.queue()
    await RetentionSweepJob.schedule()
    await RetentionSweepJob.schedule()
    const repeatable = await queue.getRepeatableJobs()
    assert.deepEqual(
      repeatable.map((job) => [job.name, job.cron]),
      [['retention.sweep', RETENTION_CRON]],
    )

    await new RetentionSweepJob().run({}, logger)
    await new RetentionSweepJob().run({}, logger)
    const waiting = await queue.getJobs(['waiting', 'delayed'])
    const queued = waiting.filter((job) => job.name === RetentionJob.jobName)
    // Other organizations may exist in the database; each one is queued exactly once.
    const ids = queued.map((job) => job.data.organizationId as number)
    assert.includeMembers(ids, [a.organization.id, b.organization.id])
    assert.equal(new Set(ids).size, ids.length, 'the second sweep of the day queued nothing')

    await new RetentionJob().run({ organizationId: a.organization.id }, logger)
    const audit = await db
      .from('audit_logs')
      .where('organization_id', a.organization.id)
      .where('action', 'test.seeded')
    assert.lengthOf(audit, 0)
    await queue.obliterate({ force: true })
  })
})
