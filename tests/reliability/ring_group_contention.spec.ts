import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import redis from '@adonisjs/redis/services/main'
import config from '@adonisjs/core/services/config'
import type { LockConfig } from '#config/lock'
import { createTenant, tokenFor, type Tenant } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { makeRingGroup, storedMembers } from '#tests/functional/ring_groups/support'
import { makeDid, voice, verbs } from '#tests/functional/voice/support'
import { prng, shuffle, pool } from '#tests/reliability/support/random'
import type Extension from '#models/extension'

/*
 * Ring-group lock contention: many concurrent member-list updates (API) and routing reads
 * (calls to the group's DID) of one group, with the default lock budget. Pass: every update
 * is whole or a 409 E_RESOURCE_LOCKED; every Dial rings exactly one complete list that was
 * written at some point (never a mix); the stored list is one an update wrote; everything
 * finishes within a bounded time (no deadlock) and no lock is left behind.
 */

const UPDATES = Number(process.env.RELIABILITY_RG_UPDATES ?? 40)
const READS = Number(process.env.RELIABILITY_RG_READS ?? 80)
const DEADLINE_MS = 120_000

test.group('Reliability: ring-group lock contention', (group) => {
  let tenant: Tenant | undefined

  group.each.setup(async () => {
    await redis.flushdb()
  })
  group.each.teardown(async () => {
    if (!tenant) return
    const org = tenant.organization.id
    for (const table of ['ring_group_members', 'phone_numbers', 'ring_groups', 'extensions'])
      await db.from(table).where('organization_id', org).delete()
    await db.from('audit_logs').where('organization_id', org).delete()
    await db.from('users').where('organization_id', org).delete()
    await db.from('organizations').where('id', org).delete()
  })

  /* The default budget (about 1 s to obtain the lock), then a tight one that forces 409s. */
  for (const [budget, lock] of [
    ['default lock budget', {}],
    ['tight lock budget', { retryCount: 1, retryDelayMs: 5, retryJitterMs: 5 }],
  ] as const) {
    test(`concurrent updates and routing reads (${budget}): whole lists, 409s counted`, async ({
      client,
      assert,
      cleanup,
    }) => {
      const original = config.get<LockConfig>('lock')
      config.set('lock', { ...original, ...lock })
      cleanup(() => config.set('lock', original))
      const seed = Number(process.env.RELIABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31))
      const random = prng(seed)
      tenant = await createTenant()
      const extensions: Extension[] = []
      for (let i = 0; i < 12; i++)
        extensions.push(await makeExtension(tenant.organization, { number: String(300 + i) }))
      const ringGroup = await makeRingGroup(tenant.organization, extensions.slice(0, 3))
      const did = await makeDid(tenant.organization, 'ring_group', ringGroup.id)
      const token = await tokenFor(tenant.owner)

      // Each list is a distinct set of three or four extensions.
      const lists = Array.from({ length: UPDATES }, (_, i) => {
        const size = 3 + (i % 2)
        return shuffle(extensions, random).slice(0, size)
      })
      const setOf = (numbers: string[]) => [...numbers].sort().join(',')
      const written = new Set([
        setOf(extensions.slice(0, 3).map((e) => e.number)),
        ...lists.map((l) => setOf(l.map((e) => e.number))),
      ])

      type Job = { kind: 'update'; index: number } | { kind: 'read' }
      const jobs: Job[] = shuffle(
        [
          ...lists.map((_, index) => ({ kind: 'update' as const, index })),
          ...Array.from({ length: READS }, () => ({ kind: 'read' as const })),
        ],
        random,
      )
      const statuses: Record<number, number> = {}
      const counts = { updated: 0, locked: 0, dials: 0, apologies: 0 }
      const problems: string[] = []
      const readLatencies: number[] = []

      const run = pool(jobs, 16, async (job) => {
        if (job.kind === 'update') {
          const members = lists[job.index].map((e, position) => ({
            extensionId: e.id,
            priority: position + 1,
          }))
          // The per-user API budget is not what is under test here.
          const keys = await redis.keys('rlflx*')
          if (keys.length > 0) await redis.del(...keys)
          const response = await client
            .patch(`/api/v1/ring-groups/${ringGroup.id}`)
            .bearerToken(token)
            .json({ members })
          statuses[job.index] = response.status()
          if (response.status() === 200) counts.updated += 1
          else if (response.status() === 409 && response.body().error.code === 'E_RESOURCE_LOCKED')
            counts.locked += 1
          else problems.push(`update ${job.index}: ${response.status()} ${response.text()}`)
          return
        }
        const started = performance.now()
        const answer = await voice('/api/voice/route', { From: '+15550001111', To: did })
        readLatencies.push(performance.now() - started)
        if (answer.status !== 200) {
          problems.push(`read: ${answer.status} ${answer.xml}`)
          return
        }
        if (!verbs(answer.root).includes('Dial')) {
          counts.apologies += 1
          return
        }
        counts.dials += 1
        const dial = answer.root.children.find((c) => c.name === 'Dial')!
        const numbers = dial.children.map((noun) => noun.text.replace(/^sip:([^@]+)@.*$/, '$1'))
        if (!written.has(setOf(numbers))) problems.push(`torn list rung: ${numbers.join(',')}`)
      })
      let timer: NodeJS.Timeout | undefined
      const deadline = new Promise<'deadlock'>((resolve) => {
        timer = setTimeout(() => resolve('deadlock'), DEADLINE_MS)
      })
      const started = performance.now()
      const outcome = await Promise.race([run.then(() => 'done' as const), deadline])
      clearTimeout(timer)
      const seconds = (performance.now() - started) / 1000
      assert.equal(outcome, 'done', `not finished within ${DEADLINE_MS / 1000} s (seed ${seed})`)

      const stored = await storedMembers(ringGroup.id)
      const winners = lists.filter((_, i) => statuses[i] === 200)
      const storedIds = stored.map(([extensionId]) => extensionId)
      assert.isTrue(
        winners.some((list) => JSON.stringify(list.map((e) => e.id)) === JSON.stringify(storedIds)),
        `stored list ${JSON.stringify(stored)} is not one an update wrote (seed ${seed})`,
      )
      // The fence counter outlives the lock on purpose (tokens must keep growing).
      const leftovers = (await redis.keys(`*ring-group:${ringGroup.id}*`)).filter(
        (key) => !key.startsWith('fence:'),
      )
      readLatencies.sort((x, y) => x - y)
      const p95 = readLatencies[Math.floor(readLatencies.length * 0.95)] ?? 0
      console.log(
        `ring-group contention, ${budget} (seed ${seed}): ${UPDATES} updates (${counts.updated} applied, ` +
          `${counts.locked} × 409), ${READS} routing reads (${counts.dials} dialled, ` +
          `${counts.apologies} apologies, p95 ${p95.toFixed(0)} ms) in ${seconds.toFixed(1)} s`,
      )
      assert.deepEqual(problems, [], `seed ${seed}`)
      assert.deepEqual(leftovers, [], 'no lock left behind')
      assert.isAbove(counts.updated, 0)
      assert.isAbove(counts.dials, 0)
    }).timeout(DEADLINE_MS + 30_000)
  }
})
