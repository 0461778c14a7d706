/**
 * A ring-group writer in its own process, so a test can freeze it (SIGSTOP) while it holds
 * the group's lock, as a long GC pause would. Boots the app's services on the environment it
 * is given (database, Redis DB) and writes through the product's own lock and write path.
 *
 *   node --import @poppinss/ts-exec tests/reliability/support/fenced_writer.ts
 *
 * Environment: FENCE_ORGANIZATION_ID and FENCE_GROUP_ID (the ring group), FENCE_TTL_MS
 * (the lock's TTL).
 * Commands, one per stdin line:
 *   lock            take the group's fenced lock → {"event":"locked","token":…}, then wait
 *   write <json>    (while locked) the update's write with that token → "written" | "rejected"
 *   exit            close connections and exit
 * Events are JSON lines on stdout; {"event":"ready"} once booted.
 */
import 'reflect-metadata'
import { createInterface } from 'node:readline'
import { Ignitor } from '@adonisjs/core'

const APP_ROOT = new URL('../../../', import.meta.url)
const importer = (filePath: string) =>
  filePath.startsWith('./') || filePath.startsWith('../')
    ? import(new URL(filePath, APP_ROOT).href)
    : import(filePath)

const app = new Ignitor(APP_ROOT, { importer })
  .tap((a) => a.booting(async () => void (await import('#start/env'))))
  .createApp('console')
await app.init()
await app.boot()

const { default: config } = await import('@adonisjs/core/services/config')
const { default: db } = await import('@adonisjs/lucid/services/db')
const { default: redis } = await import('@adonisjs/redis/services/main')
const { ringGroupsOf } = await import('#services/ring_groups/ring_group_lookup')
const { default: RingGroupDirectory } = await import('#services/ring_groups/ring_group_directory')
const { withFencedRingGroupLock } = await import('#services/ring_groups/ring_group_lock')
const { default: ApiException } = await import('#exceptions/api_exception')

const groupId = Number(process.env.FENCE_GROUP_ID)
const organizationId = Number(process.env.FENCE_ORGANIZATION_ID)
const ttlMs = Number(process.env.FENCE_TTL_MS ?? 1000)
config.set('lock', { ...config.get<object>('lock'), ttlMs })

const emit = (event: Record<string, unknown>) => {
  process.stdout.write(`${JSON.stringify({ pid: process.pid, ...event })}\n`)
}

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()
async function nextLine() {
  const next = await lines.next()
  return next.done ? 'exit' : next.value.trim()
}

const directory = new RingGroupDirectory()
const actor = {
  organizationId,
  actorUserId: null,
  impersonatorStaffId: null,
  ip: '127.0.0.1',
  userAgent: 'fenced_writer',
  requestId: null,
}

async function lockAndWrite() {
  const group = await ringGroupsOf(organizationId).where('id', groupId).firstOrFail()
  await withFencedRingGroupLock(group.id, async (token) => {
    emit({ event: 'locked', token })
    const command = await nextLine()
    if (!command.startsWith('write ')) throw new Error(`expected write, got ${command}`)
    try {
      await directory.write(group, JSON.parse(command.slice(6)), actor, token)
      emit({ event: 'written', token })
    } catch (error) {
      if (!(error instanceof ApiException)) throw error
      emit({ event: 'rejected', token, status: error.status, code: error.code })
    }
  })
}

emit({ event: 'ready' })
for (let command = await nextLine(); command !== 'exit'; command = await nextLine()) {
  if (command !== 'lock') throw new Error(`unknown command ${command}`)
  try {
    await lockAndWrite()
  } catch (error) {
    const { status, code, message } = error as { status?: number; code?: string; message: string }
    emit({ event: 'error', status, code, message })
  }
}
await db.manager.closeAll()
await redis.quitAll()
await app.terminate()
