import { test } from '@japa/runner'
import ace from '@adonisjs/core/services/ace'
import type { Logger } from '@adonisjs/core/logger'
import queueService, { QueueService } from '#services/queue/queue_service'
import { OrganizationJob, type OrganizationJobPayload } from '#jobs/organization_job'
import type Organization from '#models/organization'
import { OrganizationFactory } from '#database/factories/organization_factory'
import db from '@adonisjs/lucid/services/db'
import QueueFailed from '#commands/queue_failed'
import QueueRetry from '#commands/queue_retry'

class AlwaysFailsJob extends OrganizationJob<OrganizationJobPayload> {
  static jobName = 'test.always_fails'
  async handle(_payload: OrganizationJobPayload, _organization: Organization, _logger: Logger) {
    throw new Error('upstream said no\nsecond line of the stack')
  }
}

async function waitFor(predicate: () => Promise<boolean>, ms = 10_000) {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (await predicate()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('condition not met in time')
}

test.group('queue:failed and queue:retry', (group) => {
  group.each.setup(async () => {
    ace.ui.switchMode('raw')
    await queueService.queue().obliterate({ force: true })
    return async () => {
      ace.ui.switchMode('normal')
      await queueService.queue().obliterate({ force: true })
      await queueService.close()
    }
  })

  test('lists a dead-lettered job, and retry puts it back in the queue', async ({ assert }) => {
    const organization = await OrganizationFactory.create()
    const worker = new QueueService()
    worker.process([AlwaysFailsJob], 1)
    const job = await queueService.dispatch(
      AlwaysFailsJob,
      { organizationId: organization.id },
      { attempts: 2, backoff: 10 },
    )
    await waitFor(async () => (await job.getState()) === 'failed')
    await worker.close()

    const list = await ace.create(QueueFailed, [])
    await list.exec()
    list.assertSucceeded()
    const finished = (await queueService.queue().getJob(job.id!))!.finishedOn!
    list.assertTableRows([
      [
        String(job.id),
        'test.always_fails',
        String(organization.id),
        '2',
        new Date(finished).toISOString(),
        'upstream said no',
      ],
    ])

    const retry = await ace.create(QueueRetry, [String(job.id)])
    await retry.exec()
    retry.assertSucceeded()
    assert.equal(await (await queueService.queue().getJob(job.id!))!.getState(), 'waiting')

    const emptyList = await ace.create(QueueFailed, [])
    await emptyList.exec()
    emptyList.assertLog('[ blue(info) ] no failed jobs')
    await db.from('organizations').where('id', organization.id).delete()
  }).timeout(20_000)

  test('retrying an unknown or not-failed job exits non-zero', async () => {
    const organization = await OrganizationFactory.create()
    const waiting = await queueService.dispatch(AlwaysFailsJob, { organizationId: organization.id })
    for (const id of ['does-not-exist', String(waiting.id)]) {
      const retry = await ace.create(QueueRetry, [id])
      await retry.exec()
      retry.assertFailed()
      retry.assertLog(`[ red(error) ] no failed job with id ${id}`, 'stderr')
    }
    await db.from('organizations').where('id', organization.id).delete()
  })
})
