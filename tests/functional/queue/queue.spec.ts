import { test } from '@japa/runner'
import type { Logger } from '@adonisjs/core/logger'
import { QueueService } from '#services/queue/queue_service'
import { OrganizationJob, type OrganizationJobPayload } from '#jobs/organization_job'
import PruneAuditLogsJob from '#jobs/prune_audit_logs_job'
import AuditLog from '#models/audit_log'
import type Organization from '#models/organization'
import { OrganizationFactory } from '#database/factories/organization_factory'
import db from '@adonisjs/lucid/services/db'

/* Records which organization each run saw, so the test can check what the worker did. */
const seen: { organizationId: number; name: string }[] = []

class RecordOrganizationJob extends OrganizationJob<OrganizationJobPayload> {
  static jobName = 'test.record_organization'
  async handle(_payload: OrganizationJobPayload, organization: Organization, _logger: Logger) {
    seen.push({ organizationId: organization.id, name: organization.name })
  }
}

async function waitFor(predicate: () => boolean | Promise<boolean>, ms = 10_000) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await predicate()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('condition not met in time')
}

test.group('Queue (Bull on the real Redis)', (group) => {
  let queues: QueueService
  group.each.setup(async () => {
    queues = new QueueService()
    seen.length = 0
    return async () => {
      await queues.queue().obliterate({ force: true })
      await queues.close()
    }
  })

  test('a job re-loads its organization by id when it runs', async ({ assert }) => {
    const organization = await OrganizationFactory.create()
    await queues.dispatch(RecordOrganizationJob, { organizationId: organization.id })
    organization.name = 'Renamed after dispatch'
    await organization.save()
    // The worker starts only now, so the job necessarily runs after the rename.
    queues.process([RecordOrganizationJob], 1)
    await waitFor(() => seen.length === 1)
    assert.deepEqual(seen[0], { organizationId: organization.id, name: 'Renamed after dispatch' })
    await db.from('organizations').where('id', organization.id).delete()
  })

  test('jobs for suspended or deleted organizations are discarded, not run', async ({ assert }) => {
    const suspended = await OrganizationFactory.apply('suspended').create()
    queues.process([RecordOrganizationJob], 1)
    const a = await queues.dispatch(RecordOrganizationJob, { organizationId: suspended.id })
    const b = await queues.dispatch(RecordOrganizationJob, { organizationId: 2_000_000_000 })
    await waitFor(
      async () => (await a.getState()) === 'completed' && (await b.getState()) === 'completed',
    )
    assert.lengthOf(seen, 0)
    await db.from('organizations').where('id', suspended.id).delete()
  })

  test("the audit pruning job deletes only that organization's old rows", async ({ assert }) => {
    const [mine, theirs] = await OrganizationFactory.createMany(2)
    const old = new Date(Date.now() - 40 * 86400_000)
    for (const org of [mine, theirs]) {
      await AuditLog.createMany([
        { organizationId: org.id, action: 'test.old' },
        { organizationId: org.id, action: 'test.recent' },
      ])
      await db
        .from('audit_logs')
        .where('organization_id', org.id)
        .where('action', 'test.old')
        .update({ created_at: old })
    }
    queues.process([PruneAuditLogsJob], 1)
    const job = await queues.dispatch(PruneAuditLogsJob, {
      organizationId: mine.id,
      retentionDays: 30,
    })
    await waitFor(async () => (await job.getState()) === 'completed')
    const left = await db
      .from('audit_logs')
      .whereIn('organization_id', [mine.id, theirs.id])
      .select('organization_id', 'action')
    assert.sameDeepMembers(left, [
      { organization_id: mine.id, action: 'test.recent' },
      { organization_id: theirs.id, action: 'test.old' },
      { organization_id: theirs.id, action: 'test.recent' },
    ])
    await db.from('organizations').whereIn('id', [mine.id, theirs.id]).delete()
  })
})
