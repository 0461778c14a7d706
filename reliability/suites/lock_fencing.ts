/**
 * Lock safety (R19, issue #10; §4.6 of the targets: Redlock's caveats, fencing): writers of
 * one ring group in their own processes (tests/reliability/support/fenced_writer.ts, the
 * product's lock and write path), SIGSTOPped while holding the group's Redis lock until the
 * lock has expired, then SIGCONTed to attempt their write.
 *
 * - Kleppmann's scenario, repeated: a frozen writer, the API writing meanwhile under the
 *   lock it then gets, the writer thawed: its write must be refused (409 E_STALE_LOCK) and
 *   the row must hold the API's change.
 * - Concurrent writers: several writer processes take turns on the lock; some are frozen
 *   past the TTL at random. Every acknowledged write is audited with its token; the audit
 *   in commit order must show the tokens growing (an older holder never commits after a
 *   newer one: 0 lost updates), and the row must end with the newest acknowledged write.
 */
import { Redis } from 'ioredis'
import { psql } from '../lib/database.ts'
import { sleep, type AppProcess } from '../lib/processes.ts'
import type { Seeded, Suite, SuiteContext } from '../lib/suite.ts'
import type { Row } from '../lib/report.ts'
import { UNLIMITED } from './webhook_flood.ts'
import { prng } from '../../tests/reliability/support/random.ts'
import {
  startFencedWriter,
  type FencedWriter,
  type WriterEvent,
} from '../../tests/reliability/support/fenced_writer_process.ts'

const CRITERION =
  'R19: a worker SIGSTOPped past its lock TTL, SIGCONTed after another wrote → its write is refused by the fencing check; 0 lost updates'
/* The product's key (app/services/ring_groups/ring_group_lock.ts), not importable from here. */
const lockKey = (id: number) => `lock:ring-group:${id}`

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

async function api(app: AppProcess, token: string, method: string, path: string, body?: object) {
  const response = await fetch(`${app.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      accept: 'application/json',
    },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : null }
}

type Group = { id: number; organizationId: number }

async function createGroup(app: AppProcess, seeded: Seeded, name: string): Promise<Group> {
  const tenant = seeded.tenants[0]
  const created = await api(app, tenant.tokens[0], 'POST', '/api/v1/ring-groups', {
    name,
    strategy: 'simultaneous',
    members: [{ extensionId: tenant.extensionIds[0], priority: 1 }],
  })
  if (created.status !== 201 && created.status !== 200)
    throw new Error(`creating the ring group: ${created.status} ${JSON.stringify(created.body)}`)
  return { id: created.body.data.id, organizationId: tenant.id }
}

function storedRow(database: string, id: number) {
  const [[description, fence]] = psql(
    database,
    `SELECT coalesce(description, ''), fence_token FROM ring_groups WHERE id = ${id}`,
  )
  const members = psql(
    database,
    `SELECT extension_id FROM ring_group_members WHERE ring_group_id = ${id} ORDER BY priority`,
  ).map(([extensionId]) => Number(extensionId))
  return { description, fence: Number(fence), members }
}

/* The tokens of the acknowledged updates, in commit order (audit rows are written in the
 * update's transaction, so their ids follow the commits of one row's writers). */
function auditedTokens(database: string, id: number) {
  return psql(
    database,
    `SELECT after->>'description' FROM audit_logs WHERE subject_type = 'ring_group' ` +
      `AND subject_id = '${id}' AND action = 'ring_group.updated' ORDER BY id`,
  ).map(([description]) => Number(description.split(':').at(-1)))
}

async function kleppmann(
  ctx: SuiteContext,
  app: AppProcess,
  redis: Redis,
  seeded: Seeded,
): Promise<Row> {
  const rounds = ctx.number('fencing-rounds', 20, 5)
  const ttlMs = ctx.number('fencing-ttl-ms', 1000, 1000)
  const tenant = seeded.tenants[0]
  const [stale, fresh] = [tenant.extensionIds[1], tenant.extensionIds[2]]
  const group = await createGroup(app, seeded, `Fencing ${Date.now()}`)
  const writer = await startFencedWriter({ ...process.env, ...(await ctx.appEnv()) }, group, ttlMs)
  const counts = { rejected: 0, kept: 0, lost: 0, otherOutcome: 0 }
  const problems: string[] = []
  const started = performance.now()
  try {
    for (let round = 0; round < rounds; round++) {
      writer.send('lock')
      const locked = await writer.next()
      if (locked.event !== 'locked') throw new Error(`round ${round}: ${JSON.stringify(locked)}`)
      writer.freeze()
      const staleWrite = {
        description: `stale ${round}:${locked.token}`,
        members: [{ extensionId: stale, priority: 1 }],
      }
      writer.send(`write ${JSON.stringify(staleWrite)}`)
      await until(
        'the frozen writer’s lock to expire',
        async () => {
          return (await redis.exists(lockKey(group.id))) === 0
        },
        ttlMs + 15_000,
      )
      // The API user changes per round: the per-user API budget is not under test.
      const token = tenant.tokens[1 + (round % (tenant.tokens.length - 1))]
      const description = `second ${round}`
      const second = await api(app, token, 'PATCH', `/api/v1/ring-groups/${group.id}`, {
        description,
        members: [{ extensionId: fresh, priority: 1 }],
      })
      writer.thaw()
      const outcome = await writer.next()
      if (second.status !== 200) problems.push(`round ${round}: API ${second.status}`)
      if (outcome.event === 'rejected' && outcome.code === 'E_STALE_LOCK' && outcome.status === 409)
        counts.rejected += 1
      else {
        counts.otherOutcome += 1
        problems.push(`round ${round}: stale writer ${JSON.stringify(outcome)}`)
      }
      const row = storedRow(ctx.database, group.id)
      const keeps =
        row.description === description && row.members.length === 1 && row.members[0] === fresh
      if (keeps) counts.kept += 1
      else counts.lost += 1
      if (row.fence <= locked.token!) problems.push(`round ${round}: fence ${row.fence}`)
    }
  } finally {
    await writer.close()
  }
  const seconds = (performance.now() - started) / 1000
  for (const problem of problems.slice(0, 5)) ctx.log(`  fencing: ${problem}`)
  return {
    suite: 'fencing (Kleppmann scenario)',
    criterion: CRITERION,
    figures:
      `${rounds} rounds (writer process SIGSTOPped holding the lock, lock TTL ${ttlMs} ms expired, ` +
      `the API wrote, SIGCONT): stale writes rejected ${counts.rejected}/${rounds} (409 E_STALE_LOCK), ` +
      `row kept the newer write ${counts.kept}/${rounds}, lost updates ${counts.lost}; ` +
      `${seconds.toFixed(1)} s`,
    pass: counts.rejected === rounds && counts.lost === 0 && problems.length === 0,
  }
}

async function concurrentWriters(
  ctx: SuiteContext,
  app: AppProcess,
  redis: Redis,
  seeded: Seeded,
): Promise<Row> {
  const writerCount = ctx.number('fencing-writers', 4, 3)
  const rounds = ctx.number('fencing-writer-rounds', 10, 4)
  const ttlMs = ctx.number('fencing-ttl-ms', 1000, 1000)
  const freezeShare = 0.35
  const seed = ctx.number('fencing-seed', Math.floor(Math.random() * 2 ** 31), 1)
  const random = prng(seed)
  const group = await createGroup(app, seeded, `Fencing concurrent ${Date.now()}`)
  const env = { ...process.env, ...(await ctx.appEnv()) }
  const writers: FencedWriter[] = []
  const counts = {
    acknowledged: [] as number[],
    frozen: 0,
    overtaken: 0,
    staleRejected: 0,
    staleAccepted: 0,
    otherRejected: 0,
    busy: 0,
  }
  const problems: string[] = []
  let newestAcknowledged = 0
  const started = performance.now()

  async function turn(writer: FencedWriter, index: number, round: number) {
    let locked: WriterEvent
    for (;;) {
      writer.send('lock')
      locked = await writer.next()
      if (locked.event !== 'error' || locked.code !== 'E_RESOURCE_LOCKED') break
      counts.busy += 1
    }
    if (locked.event !== 'locked') throw new Error(`writer ${index}: ${JSON.stringify(locked)}`)
    const token = locked.token!
    const write = `write ${JSON.stringify({ description: `${index}:${round}:${token}` })}`
    const frozen = random() < freezeShare
    let overtaken = false
    if (frozen) {
      counts.frozen += 1
      const value = await redis.get(lockKey(group.id))
      writer.freeze()
      writer.send(write)
      await until(
        'the frozen writer’s lock to expire',
        async () => {
          return (await redis.get(lockKey(group.id))) !== value
        },
        ttlMs + 15_000,
      )
      // Give the others a moment to write over it; a write that does not come is no fault.
      await until('a newer write', async () => newestAcknowledged > token, 3000).catch(() => {})
      overtaken = newestAcknowledged > token
      if (overtaken) counts.overtaken += 1
      writer.thaw()
    } else {
      writer.send(write)
    }
    const outcome = await writer.next()
    if (outcome.event === 'written') {
      counts.acknowledged.push(token)
      newestAcknowledged = Math.max(newestAcknowledged, token)
      if (frozen) counts.staleAccepted += 1
      if (overtaken) problems.push(`writer ${index} round ${round}: overtaken, yet accepted`)
    } else if (outcome.event === 'rejected' && outcome.code === 'E_STALE_LOCK') {
      // Unfrozen writers can be stale too when the machine stalls them past the TTL.
      if (frozen) counts.staleRejected += 1
      else counts.otherRejected += 1
    } else {
      problems.push(`writer ${index} round ${round}: ${JSON.stringify(outcome)}`)
    }
  }

  try {
    writers.push(
      ...(await Promise.all(
        Array.from({ length: writerCount }, () => startFencedWriter(env, group, ttlMs)),
      )),
    )
    await Promise.all(
      writers.map(async (writer, index) => {
        for (let round = 0; round < rounds; round++) await turn(writer, index, round)
      }),
    )
  } finally {
    await Promise.all(writers.map((writer) => writer.close()))
  }
  const seconds = (performance.now() - started) / 1000

  const audited = auditedTokens(ctx.database, group.id)
  let lost = 0
  let highest = 0
  for (const token of audited) {
    if (token < highest) lost += 1
    highest = Math.max(highest, token)
  }
  const row = storedRow(ctx.database, group.id)
  const finalToken = Number(row.description.split(':').at(-1))
  const newest = Math.max(0, ...counts.acknowledged)
  if (audited.length !== counts.acknowledged.length)
    problems.push(`${counts.acknowledged.length} acknowledged, ${audited.length} audited`)
  if (finalToken !== newest || row.fence !== newest)
    problems.push(`row ends at ${finalToken} (fence ${row.fence}), newest acknowledged ${newest}`)
  for (const problem of problems.slice(0, 5)) ctx.log(`  fencing: ${problem}`)
  const attempted = counts.frozen
  return {
    suite: 'fencing (concurrent writers)',
    criterion: CRITERION,
    figures:
      `${writerCount} writer processes × ${rounds} turns (seed ${seed}), ${attempted} frozen past the ` +
      `${ttlMs} ms TTL: stale writes rejected ${counts.staleRejected}/${attempted} ` +
      `(${counts.overtaken} overtaken by a newer write, all must be rejected; ` +
      `${counts.staleAccepted} accepted with nothing newer written), ` +
      `${counts.acknowledged.length} writes acknowledged and audited in token order, ` +
      `lost updates ${lost}, row ends at the newest acknowledged write: ${finalToken === newest}; ` +
      `${counts.otherRejected} unfrozen writes stale under load, ${counts.busy} × lock busy; ` +
      `${seconds.toFixed(1)} s`,
    pass: problems.length === 0 && lost === 0 && counts.overtaken > 0,
  }
}

export const suite: Suite = {
  name: 'fencing',
  order: 110,
  describe:
    'lock safety: writers SIGSTOPped past their ring-group lock TTL are refused by the fencing token (R19)',
  async run(ctx) {
    const seeded = await ctx.seeded()
    const app = await ctx.startApp(UNLIMITED)
    const { port } = await ctx.redis()
    const redis = new Redis({ port, lazyConnect: true })
    await redis.connect()
    try {
      return [
        await kleppmann(ctx, app, redis, seeded),
        await concurrentWriters(ctx, app, redis, seeded),
      ]
    } finally {
      redis.disconnect()
      await app.stop()
    }
  },
}
