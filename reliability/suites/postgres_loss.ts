/**
 * PostgreSQL connection loss under load (R16, issue #10). The app's only way to PostgreSQL
 * is a TCP proxy (reliability/lib/postgres_proxy.ts) that this suite cuts: every open
 * connection is dropped mid-flight and new ones are refused (a restarting server) or
 * black-holed (a partition: only the app's own timeouts end the wait) for
 * --postgres-outage-seconds, then it is restored; one run of each by default
 * (--postgres-mode=refuse,blackhole). The shared PostgreSQL service is never touched.
 *
 * Load, all the time: calls whose session updates and CDRs are sent by voip-edge's own
 * publisher and durable CDR spool (voip-edge/src/events, signed, spooled to a directory as
 * the edge does with VOIP_EDGE_CDR_SPOOL_DIR), plus API writes of ring groups with three
 * members each (group, members and audit row in one transaction).
 *
 * Pass: requests in flight at the cut and started during it are answered 503 with
 * Retry-After (no 500, no hang), the first 2xx comes ≤ 15 s after the restore, every CDR
 * produced is stored exactly once (CDR row and call row) once the spool has drained, and no
 * ring group exists without all its members and its audit row.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import { pino } from 'pino'
import { CdrSpool } from '../../voip-edge/src/events/cdr_spool.ts'
import { buildCdr } from '../../voip-edge/src/events/cdr.ts'
import {
  SessionUpdatePublisher,
  buildSessionUpdate,
  type SessionFacts,
} from '../../voip-edge/src/events/session_updates.ts'
import { sleep, type AppProcess } from '../lib/processes.ts'
import { connection, psql } from '../lib/database.ts'
import { startPostgresProxy, type CutMode } from '../lib/postgres_proxy.ts'
import { UNLIMITED } from './webhook_flood.ts'
import type { Seeded, Suite, SuiteContext } from '../lib/suite.ts'
import type { Row } from '../lib/report.ts'

type Exchange = {
  kind: 'cdr' | 'update' | 'api' | 'health'
  started: number
  ended: number
  status: number
  code?: string
  requestId?: string
  /** For a CDR: its call, and whether the app said it stored it (false: a duplicate). */
  callId?: string
  stored?: boolean
  /** For status 0: why the client gave up (timeout, reset). */
  error?: string
  retryAfter: string | null
}

const MEMBERS = 3

/**
 * Every request this process makes to the app, whoever makes it: the edge's publisher and
 * spool call the global fetch, so wrapping it is how their answers are counted without
 * changing their code.
 */
function recordFetches(appUrl: string, log: Exchange[]) {
  const original = globalThis.fetch
  let inFlight = 0
  const kindOf = (path: string): Exchange['kind'] =>
    path.endsWith('/cdr')
      ? 'cdr'
      : path.endsWith('/session-update')
        ? 'update'
        : path === '/health'
          ? 'health'
          : 'api'
  globalThis.fetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    if (url.origin !== appUrl) return original(input, init)
    const started = performance.now()
    inFlight += 1
    try {
      const response = await original(input, init)
      let error: { code?: string; requestId?: string } | undefined
      let stored: boolean | undefined
      if (kindOf(url.pathname) === 'cdr' && response.status < 300) {
        stored = await response
          .clone()
          .json()
          .then((body) => (body as { stored?: boolean }).stored)
          .catch(() => undefined)
      }
      if (response.status >= 400) {
        error = await response
          .clone()
          .json()
          .then((body) => (body as { error?: { code?: string; requestId?: string } })?.error)
          .catch(() => undefined)
      }
      log.push({
        kind: kindOf(url.pathname),
        started,
        ended: performance.now(),
        status: response.status,
        code: error?.code,
        requestId: error?.requestId,
        callId: cdrCall(url.pathname, init?.body),
        stored,
        retryAfter: response.headers.get('retry-after'),
      })
      return response
    } catch (error) {
      log.push({
        kind: kindOf(url.pathname),
        started,
        ended: performance.now(),
        status: 0,
        error:
          (error as Error).name === 'TimeoutError'
            ? 'timeout'
            : String((error as Error).cause ?? error),
        retryAfter: null,
      })
      throw error
    } finally {
      inFlight -= 1
    }
  }
  return {
    inFlight: () => inFlight,
    restore: () => void (globalThis.fetch = original),
  }
}

function cdrCall(path: string, body: unknown) {
  if (!path.endsWith('/cdr') || typeof body !== 'string') return undefined
  try {
    return (JSON.parse(body) as { call_id?: string }).call_id
  } catch {
    return undefined
  }
}

type Tenant = Seeded['tenants'][number]

export const suite: Suite = {
  name: 'postgres',
  order: 60,
  describe:
    'PostgreSQL connection loss (a proxy cut for 20 s: refused, then black-holed) under CDR, status-webhook and API-write load (R16)',
  async run(ctx) {
    const modes = ctx.text('postgres-mode', 'refuse,blackhole').split(',') as CutMode[]
    for (const mode of modes) {
      if (mode !== 'refuse' && mode !== 'blackhole')
        throw new Error('--postgres-mode must list refuse and/or blackhole')
    }
    const rows: Row[] = []
    for (const mode of modes) rows.push(...(await cutUnderLoad(ctx, mode)))
    return rows
  },
}

/** One cut of the given kind under load: the app, the proxy and the spool are its own. */
async function cutUnderLoad(ctx: SuiteContext, mode: CutMode): Promise<Row[]> {
  const outageSeconds = ctx.number('postgres-outage-seconds', 20, 10)
  const beforeSeconds = ctx.number('postgres-before-seconds', 10, 5)
  const afterSeconds = ctx.number('postgres-after-seconds', 20, 15)
  const callRate = ctx.number('postgres-call-rate', 6, 4)
  const writeRate = ctx.number('postgres-write-rate', 2, 1)
  const drainSeconds = ctx.number('postgres-drain-seconds', 120, 120)

  const seeded = await ctx.seeded()
  const proxy = await startPostgresProxy({ targetPort: connection(ctx.database).port })
  const spoolDir = mkdtempSync(join(tmpdir(), 'opbx-reliability-cdr-spool-'))
  const exchanges: Exchange[] = []
  let recorder: ReturnType<typeof recordFetches> | null = null
  let spool: CdrSpool | null = null
  let app: AppProcess | null = null
  try {
    app = await ctx.startApp({
      LOG_LEVEL: 'warn',
      ...UNLIMITED,
      DB_PORT: String(proxy.port),
      // The guard's event-loop check measures the whole box here (other suites, PostgreSQL,
      // this generator share two cores): its 503s would drown the outage's own answers.
      // The adaptive in-flight cap stays on.
      OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
    })
    const appUrl = new URL(app.url).origin
    recorder = recordFetches(appUrl, exchanges)
    // The publisher gives up on an update after its retries (by design: the CDR is the
    // record); its warning is how those drops are counted.
    let updatesDropped = 0
    const logger = pino(
      { level: 'warn' },
      {
        write(line: string) {
          if (line.includes('session update dropped')) updatesDropped += 1
        },
      },
    )
    // The edge's own delivery code with its defaults (backoff from 1 s with jitter, 8 s
    // timeout, a few deliveries at a time).
    spool = new CdrSpool({
      dir: spoolDir,
      url: `${appUrl}/api/webhooks/cloudonix/cdr`,
      signingSecret: ctx.edgeSecret,
      logger,
    })
    spool.start()
    const updates = new SessionUpdatePublisher({
      url: `${appUrl}/api/webhooks/cloudonix/session-update`,
      signingSecret: ctx.edgeSecret,
      logger,
    })

    const run = randomUUID().slice(0, 8)
    const calls: { tenant: Tenant; callId: string }[] = []
    const groups: string[] = []
    const pending = new Set<Promise<unknown>>()
    const track = (promise: Promise<unknown>) => {
      pending.add(promise)
      void promise.finally(() => pending.delete(promise))
    }

    /* One call as the edge reports it: four status updates, then its CDR into the spool. */
    const makeCall = () => {
      const tenant = seeded.tenants[calls.length % seeded.tenants.length]
      const callId = `pg-${run}-${calls.length}@127.0.0.1`
      calls.push({ tenant, callId })
      const startedAt = Date.now() - 62_000
      const facts: SessionFacts = {
        callId,
        organizationId: String(tenant.id),
        domain: tenant.domain,
        from: '+15550001111',
        to: tenant.dids[calls.length % tenant.dids.length],
        startedAt,
        answeredAt: startedAt + 7000,
        endedAt: null,
        edgeAddress: '127.0.0.1',
      }
      const now = Date.now()
      for (const status of ['processing', 'ringing', 'connected'] as const)
        track(updates.publish(callId, buildSessionUpdate(facts, status, now)))
      const ended = { ...facts, endedAt: now }
      track(updates.publish(callId, buildSessionUpdate(ended, 'connected', now)))
      spool!.enqueue(buildCdr({ ...ended, endedAt: now, endReason: 'completed' }))
    }

    /* A control-plane write of several rows: a ring group with its members. */
    const writeGroup = () => {
      const index = groups.length
      const tenant = seeded.tenants[index % seeded.tenants.length]
      const name = `pg-${run}-${index}`
      groups.push(name)
      const token = tenant.tokens[index % tenant.tokens.length]
      const members = tenant.extensionIds
        .slice(index % 10, (index % 10) + MEMBERS)
        .map((extensionId, i) => ({ extensionId, priority: i + 1 }))
      track(
        fetch(`${appUrl}/api/v1/ring-groups`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            accept: 'application/json',
          },
          body: JSON.stringify({ name, members }),
          signal: AbortSignal.timeout(15_000),
        })
          .then((response) => response.arrayBuffer())
          .catch(() => undefined),
      )
    }

    const health: { at: string; status: number; failing: string[] }[] = []
    const probeHealth = async (at: string) => {
      const answer = await fetch(`${appUrl}/health`, { signal: AbortSignal.timeout(10_000) })
        .then(async (r) => ({
          status: r.status,
          failing: ((await r.json()) as { failing?: string[] }).failing ?? [],
        }))
        .catch(() => ({ status: 0, failing: [] }))
      health.push({ at, ...answer })
    }

    /* Open-loop load at the two rates until `until` (performance.now() ms). */
    const t0 = performance.now()
    let nextCall = t0
    let nextWrite = t0
    const loadUntil = async (until: number) => {
      while (performance.now() < until) {
        const now = performance.now()
        if (now >= nextCall) {
          makeCall()
          nextCall += 1000 / callRate
        }
        if (now >= nextWrite) {
          writeGroup()
          nextWrite += 1000 / writeRate
        }
        await sleep(Math.max(1, Math.min(nextCall, nextWrite) - performance.now()))
      }
    }

    ctx.log(
      `postgres (${mode}): load ${callRate} calls/s (4 updates + 1 CDR each) and ${writeRate} ring-group writes/s; ` +
        `cut (${mode}) after ${beforeSeconds} s for ${outageSeconds} s`,
    )
    await loadUntil(t0 + beforeSeconds * 1000)
    await probeHealth('before')
    // A burst just before the cut, so that writes are in flight (mid-transaction, some
    // mid-COMMIT) when every connection drops.
    for (let i = 0; i < 16; i++) {
      writeGroup()
      makeCall()
    }
    await sleep(30)
    const cutAt = performance.now()
    proxy.cut(mode)
    const outage = loadUntil(cutAt + outageSeconds * 1000)
    await sleep((outageSeconds * 1000) / 2)
    await probeHealth('during')
    await outage
    proxy.restore()
    const restoredAt = performance.now()
    const callsAtRestore = calls.length
    // When the spool's backlog from the outage is gone (new CDRs keep coming meanwhile).
    const backlog = new Set(spool.pending())
    let backlogClearedAt = backlog.size === 0 ? restoredAt : Number.POSITIVE_INFINITY
    const backlogWatch = setInterval(() => {
      const pendingNow = new Set(spool!.pending())
      if (![...backlog].some((name) => pendingNow.has(name))) {
        backlogClearedAt = Math.min(backlogClearedAt, performance.now())
        clearInterval(backlogWatch)
      }
    }, 200)
    await loadUntil(restoredAt + afterSeconds * 1000)
    const loadEnded = performance.now()
    await probeHealth('after')

    // Drain: the spool keeps retrying with its backoff; the publisher gives up by itself.
    await Promise.allSettled([...pending])
    await updates.flush()
    const drainDeadline = performance.now() + drainSeconds * 1000
    while (spool.pending().length > 0 && performance.now() < drainDeadline) await sleep(250)
    while (recorder.inFlight() > 0 && performance.now() < drainDeadline) await sleep(100)
    clearInterval(backlogWatch)
    // The last of the backlog may have gone between two looks.
    const stillPending = new Set(spool.pending())
    if (![...backlog].some((name) => stillPending.has(name)))
      backlogClearedAt = Math.min(backlogClearedAt, performance.now())
    const drained = (performance.now() - loadEnded) / 1000
    const leftInSpool = spool.pending().length
    const dead = readdirSync(join(spoolDir, 'dead')).length
    spool.stop()
    recorder.restore()
    recorder = null

    // What reached the database, read directly (not through the proxy).
    const [cdrRows, cdrDistinct, cdrDuplicates, logRows, logsNotCompleted, cdrWithoutLog] = psql(
      ctx.database,
      `with c as (select organization_id, session_token, count(*) n from call_detail_records
                     where session_token like 'pg-${run}-%' group by 1, 2),
              l as (select organization_id, call_id, status, count(*) n from call_logs
                     where call_id like 'pg-${run}-%' group by 1, 2, 3)
         select (select coalesce(sum(n), 0) from c), (select count(*) from c),
                (select count(*) from c where n > 1), (select coalesce(sum(n), 0) from l),
                (select count(*) from l where status <> 'completed'),
                (select count(*) from c where not exists (select 1 from l
                  where l.organization_id = c.organization_id and l.call_id = c.session_token))`,
    )[0].map(Number)
    const [groupRows, partialGroups, unauditedGroups] = psql(
      ctx.database,
      `with g as (select g.id, g.organization_id,
                      (select count(*) from ring_group_members m where m.ring_group_id = g.id) members,
                      (select count(*) from audit_logs a where a.organization_id = g.organization_id
                        and a.action = 'ring_group.created' and a.subject_id = g.id::text) audits
                    from ring_groups g where g.name like 'pg-${run}-%')
         select count(*), count(*) filter (where members <> ${MEMBERS}),
                count(*) filter (where audits <> 1) from g`,
    )[0].map(Number)

    // Phases by when a request started and ended relative to the cut and the restore.
    const load = exchanges.filter((e) => e.kind !== 'health')
    const isOk = (e: Exchange) => e.status >= 200 && e.status < 300
    const inFlightAtCut = load.filter((e) => e.started < cutAt && e.ended > cutAt)
    const withinCut = load.filter((e) => e.started >= cutAt && e.ended <= restoredAt)
    const acrossRestore = load.filter(
      (e) => e.started >= cutAt && e.started < restoredAt && e.ended > restoredAt,
    )
    // Committed just before the cut, or not: either answer is honest. Never a 500 or a hang.
    const badInFlight = inFlightAtCut.filter((e) => !(isOk(e) || e.status === 503))
    // Nothing can be served while the database is cut: a fast 503 each.
    const badWithin = withinCut.filter((e) => e.status !== 503)
    const fiveHundreds = load.filter((e) => e.status >= 500 && e.status !== 503)
    // Client timeouts (5 s updates, 8 s CDRs, 15 s API): an overloaded app, not an outage.
    const hangs = load.filter((e) => e.status === 0)
    const noRetryAfter = load.filter((e) => e.status === 503 && !e.retryAfter)
    const firstOk = load
      .filter((e) => e.started >= restoredAt && e.status >= 200 && e.status < 300)
      .sort((a, b) => a.ended - b.ended)[0]
    const recovery = firstOk ? (firstOk.ended - restoredAt) / 1000 : Number.POSITIVE_INFINITY
    const tally = (list: Exchange[]) =>
      list.reduce<Record<string, number>>((acc, e) => {
        const key = `${e.status === 0 ? 'hang' : e.status}${e.code ? ' ' + e.code : ''}`
        return { ...acc, [key]: (acc[key] ?? 0) + 1 }
      }, {})
    const apiCreated = load.filter((e) => e.kind === 'api' && e.status === 201).length
    const healthDuring = health.find((h) => h.at === 'during')
    // Why each 500 happened, from the app's own log line for its request id.
    const output = app.output().split('\n')
    const errors = [
      ...new Set(
        fiveHundreds.map((e) => {
          const line = output.find((l) => e.requestId && l.includes(e.requestId)) ?? ''
          return /"message":"([^"]{0,200})/.exec(line)?.[1] ?? `no log line for ${e.requestId}`
        }),
      ),
    ].slice(0, 3)
    const duplicates = load.filter((e) => e.kind === 'cdr' && e.stored === false).length
    const hangReasons = [...new Set(hangs.map((e) => `${e.kind} ${e.error}`))].slice(0, 3)
    const phases = {
      before: load.filter((e) => e.ended <= cutAt),
      'in flight at the cut': inFlightAtCut,
      during: withinCut,
      'across the restore': acrossRestore,
      after: load.filter((e) => e.started >= restoredAt),
    }
    for (const [phase, list] of Object.entries(phases)) {
      for (const kind of ['update', 'cdr', 'api'] as const)
        ctx.log(`  ${phase} ${kind}: ${JSON.stringify(tally(list.filter((e) => e.kind === kind)))}`)
    }
    const reasons = [
      ...new Set(
        output
          .filter((line) => line.includes('answered 503'))
          .map((line) => /"reason":"([^"]{0,120})/.exec(line)?.[1] || 'an empty message'),
      ),
    ]
    ctx.log(`  what the app saw: ${reasons.join(' / ')}`)
    // A CDR the spool had acknowledged yet is not stored: its deliveries, to see why.
    for (const [missing] of psql(
      ctx.database,
      `select l.call_id from call_logs l where l.call_id like 'pg-${run}-%' and not exists
           (select 1 from call_detail_records c where c.session_token = l.call_id)`,
    )) {
      const deliveries = load
        .filter((e) => e.callId === missing)
        .map((e) => `${Math.round(e.started - t0)} ms: ${e.status} ${e.code ?? ''}`)
      ctx.log(`  no CDR stored for ${missing}; its deliveries: ${deliveries.join(', ')}`)
    }
    if (hangReasons.length > 0) ctx.log(`  client gave up: ${hangReasons.join(' / ')}`)

    const outagePass =
      badInFlight.length === 0 &&
      badWithin.length === 0 &&
      fiveHundreds.length === 0 &&
      noRetryAfter.length === 0 &&
      withinCut.length > 0 &&
      recovery <= 15 &&
      healthDuring?.status === 503 &&
      healthDuring.failing.includes('database')
    const dataPass =
      leftInSpool === 0 &&
      dead === 0 &&
      cdrRows === calls.length &&
      cdrDistinct === calls.length &&
      cdrDuplicates === 0 &&
      logRows === calls.length &&
      logsNotCompleted === 0 &&
      cdrWithoutLog === 0 &&
      partialGroups === 0 &&
      unauditedGroups === 0 &&
      groupRows >= apiCreated &&
      groupRows <= groups.length
    const title = `PostgreSQL cut (${mode}) for ${outageSeconds} s under load: ${calls.length} calls, ${groups.length} ring-group writes`
    return [
      {
        suite: title,
        criterion:
          'requests in flight at the cut answered 2xx or 503, requests during it 503 + Retry-After (no 500, no hang); /health names the database; first 2xx ≤ 15 s after the restore (R16)',
        figures:
          `in flight at the cut ${JSON.stringify(tally(inFlightAtCut))}; during the cut ${JSON.stringify(tally(withinCut))}; ` +
          `started in the cut, answered after the restore ${JSON.stringify(tally(acrossRestore))}; ` +
          `whole run ${JSON.stringify(tally(load))} (${hangs.length} client timeouts); /health during ${healthDuring?.status} failing ${JSON.stringify(healthDuring?.failing)}; ` +
          `first 2xx ${recovery.toFixed(1)} s after the restore; proxy turned away ${proxy.turnedAway} connections` +
          (errors.length > 0 ? `; the 500s: ${errors.join(' / ')}` : ''),
        pass: outagePass,
      },
      {
        suite: title,
        criterion:
          'every CDR produced is stored exactly once after recovery (the edge spool delivers the ones held during the outage); no partial multi-row writes (R16)',
        figures:
          `${calls.length} CDRs produced (${callsAtRestore} by the restore, ${backlog.size} of them spooled at the restore, ` +
          `delivered ${((backlogClearedAt - restoredAt) / 1000).toFixed(1)} s after it); spool empty ${drained.toFixed(1)} s after the load, ` +
          `${leftInSpool} left, ${dead} dead, ${duplicates} deliveries answered as duplicates; stored: ${cdrRows} CDR rows for ${cdrDistinct} calls (${cdrDuplicates} duplicated), ` +
          `${logRows} call rows (${logsNotCompleted} not completed, ${cdrWithoutLog} CDRs without a call row; ` +
          `${updatesDropped} session updates given up by the publisher, as designed); ring groups: ${apiCreated} answered 201, ${groupRows} stored of ${groups.length} attempted, ` +
          `${partialGroups} with a wrong member count, ${unauditedGroups} without their audit row`,
        pass: dataPass,
      },
    ] satisfies Row[]
  } finally {
    spool?.stop()
    recorder?.restore()
    await app?.stop()
    await proxy.close()
    rmSync(spoolDir, { recursive: true, force: true })
  }
}
