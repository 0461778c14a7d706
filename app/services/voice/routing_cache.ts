import redis from '@adonisjs/redis/services/main'
import db from '@adonisjs/lucid/services/db'
import logger from '@adonisjs/core/services/logger'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/*
 * The routing cache: what a routing decision reads (called number → tenant and target,
 * the tenant's settings and secrets, extensions, ring groups, menus, schedules, rooms,
 * mailboxes) kept in Redis as raw database rows, so a decision normally costs no query.
 *
 * Invalidation is by generation, never by deleting keys: every key embeds a counter, and a
 * change bumps the counter, so the next reader builds new keys and the old ones expire.
 * - `routing:gen:org:<id>`: anything one tenant routes through.
 * - `routing:gen:directory`: which tenant a called number or domain belongs to (phone
 *   numbers, organizations, settings' Cloudonix domain); cross-tenant by nature.
 * A reader takes the generation BEFORE reading the database and stores under it, and a
 * writer bumps AFTER its commit: a read racing a commit can only land under the old
 * generation, which nobody reads any more. Live state (round-robin position, last offer
 * times) is never cached.
 *
 * Generations are opaque unique values (time + random), never counters: after a Redis
 * flush a counter would restart and reuse old keys. That is also what makes the small
 * in-process copy safe: it is keyed by the full key, so a decision still reads the current
 * generation from Redis and only skips the entry round trip.
 */

const TTL_SECONDS = 600
const DIRECTORY = 'routing:gen:directory'
const orgKey = (organizationId: number) => `routing:gen:org:${organizationId}`

export type Generation = string

/* Dates travel as tagged strings so rows come back exactly as the pg driver gave them. */
function encode(value: unknown) {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, v) {
    const original = this[key]
    return original instanceof Date ? { $date: original.toISOString() } : v
  })
}

function decode<T>(text: string): T {
  return JSON.parse(text, (_key, v) =>
    v && typeof v === 'object' && typeof v.$date === 'string' && Object.keys(v).length === 1
      ? new Date(v.$date)
      : v,
  ) as T
}

const fresh = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`

async function readGeneration(key: string): Promise<Generation> {
  try {
    const current = await redis.get(key)
    if (current !== null) return current
    await redis.set(key, fresh(), 'NX')
    return (await redis.get(key)) ?? 'offline'
  } catch (error) {
    logger.warn({ err: error }, 'routing cache unavailable')
    return 'offline'
  }
}

export function directoryGeneration(): Promise<Generation> {
  return readGeneration(DIRECTORY)
}

export function organizationGeneration(organizationId: number): Promise<Generation> {
  return readGeneration(orgKey(organizationId))
}

/*
 * Entries decoded once and deep-frozen, shared by every reader of this process: they are
 * raw rows that only ever become new model instances, and a write to one would throw
 * rather than leak into the next call. Bounded, not LRU.
 */
const local = new Map<string, { v: unknown }>()
const LOCAL_MAX = 50_000

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

function remember(key: string, text: string) {
  if (local.size >= LOCAL_MAX) local.clear()
  const entry = deepFreeze(decode<{ v: unknown }>(text))
  local.set(key, entry)
  return entry
}

/**
 * Read-through: the cached value under `key`, or `load()` stored for the next reader.
 * Null results are cached too (an unknown number stays unknown until a number changes)
 * unless `keep` says otherwise.
 * Without Redis (generation 'offline') everything is read from the database.
 */
export async function cached<T>(
  generation: Generation,
  key: string,
  load: () => Promise<T>,
  options: { keep?: (value: T) => boolean } = {},
): Promise<T> {
  if (generation === 'offline') return load()
  const fullKey = `routing:${key}`
  const near = local.get(fullKey)
  if (near !== undefined) return near.v as T
  try {
    const hit = await redis.get(fullKey)
    if (hit !== null) return remember(fullKey, hit).v as T
  } catch (error) {
    logger.warn({ err: error }, 'routing cache read failed')
    return load()
  }
  const value = await load()
  if (options.keep && !options.keep(value)) return value
  const text = encode({ v: value })
  remember(fullKey, text)
  redis.set(fullKey, text, 'EX', TTL_SECONDS).catch((error: unknown) => {
    logger.warn({ err: error }, 'routing cache write failed')
  })
  return value
}

/** Keys of one tenant: the generation names the tenant too, so ids never collide. */
export function organizationKey(organizationId: number, generation: Generation, key: string) {
  return `org:${organizationId}:${generation}:${key}`
}

export function directoryKey(generation: Generation, key: string) {
  return `dir:${generation}:${key}`
}

async function bump(organizationIds: number[], directory: boolean) {
  try {
    const pipeline = redis.pipeline()
    for (const id of new Set(organizationIds)) pipeline.set(orgKey(id), fresh())
    if (directory) pipeline.set(DIRECTORY, fresh())
    await pipeline.exec()
  } catch (error) {
    // The write itself succeeded; entries expire within TTL_SECONDS at worst.
    logger.error({ err: error, organizationIds }, 'routing cache invalidation failed')
  }
}

type Change = { organizationIds: number[]; directory?: boolean }

/**
 * Call after (or inside the transaction of) a write that routing depends on. Inside a
 * transaction the bump waits for the commit: bumping earlier would let a reader cache
 * the pre-commit rows under the new generation.
 */
export async function routingChanged(change: Change, trx?: TransactionClientContract | null) {
  const run = () => bump(change.organizationIds, change.directory ?? false)
  // A global transaction (the test suite's) never commits: its writes count as committed.
  const global = trx && db.connectionGlobalTransactions.get(trx.connectionName) === trx
  if (trx && !trx.isCompleted && !global) {
    trx.after('commit', run)
    return
  }
  await run()
}
