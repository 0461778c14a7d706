import { test } from '@japa/runner'
import { pino } from 'pino'
import { CallSession, type MediaControl } from '../../../src/b2bua/call_session.ts'
import { MediaReconciler } from '../../../src/b2bua/media_reconciler.ts'
import { MediaCommandError, MediaError, MediaTimeoutError } from '../../../src/media/errors.ts'
import type { InboundCall } from '../../../src/signaling/signaling_port.ts'
import { FakeClock } from '../../support/fake_clock.ts'

const log = pino({ level: 'silent' })
const media: MediaControl = {
  offer: async () => ({ sdp: 'v=0 offer' }),
  answer: async () => ({ sdp: 'v=0 answer' }),
  delete: async () => ({ rtpPackets: null }),
}

function session(callId: string): CallSession {
  const a = { callId, fromTag: `tag-${callId}`, release: () => {} } as unknown as InboundCall
  return new CallSession({
    a,
    organizationId: 'org',
    log,
    media,
    clock: new FakeClock(),
    onEnded: () => {},
  })
}

/** rtpengine as the reconciler sees it: its list, and per call-id what `query` does. */
function engine(listed: string[], queries: Record<string, () => Promise<void>> = {}) {
  const asked: string[] = []
  return {
    asked,
    list: async () => {
      asked.push('list')
      return listed
    },
    query: async (callId: string) => {
      asked.push(`query ${callId}`)
      await (
        queries[callId] ?? (() => Promise.reject(new MediaCommandError('query', 'Unknown call-id')))
      )()
      return { created: 1, tags: [], raw: {} }
    },
  }
}

function reconciler(
  rtp: ReturnType<typeof engine> | { list(): Promise<string[]>; query(): Promise<never> },
  sessions: CallSession[],
  options: { everyMs?: number; giveUpMs?: number; now?: () => number } = {},
) {
  const tornDown: string[] = []
  const instance = new MediaReconciler({
    media: rtp as ReturnType<typeof engine>,
    sessions: () => sessions,
    tearDown: async (ended) => {
      tornDown.push(ended.callId)
    },
    logger: log,
    everyMs: options.everyMs ?? 5000,
    giveUpMs: options.giveUpMs,
    now: options.now,
  })
  return { instance, tornDown }
}

test.group('MediaReconciler', () => {
  test('tears down only the anchored calls rtpengine says it does not know', async ({ assert }) => {
    const [kept, lost, ringing] = [session('kept'), session('lost'), session('ringing')]
    await kept.offer('v=0')
    await lost.offer('v=0')
    const rtp = engine(['kept', 'someone-elses-call'])
    const { instance, tornDown } = reconciler(rtp, [kept, lost, ringing])
    assert.equal(await instance.run(), 1)
    assert.deepEqual(tornDown, ['lost'])
    // A call not yet anchored (offer in flight) is never judged by a list taken before it.
    assert.deepEqual(rtp.asked, ['list', 'query lost'])
  })

  test('a call missing from the list but answered by query (truncated list) is kept', async ({
    assert,
  }) => {
    const call = session('c1')
    await call.offer('v=0')
    const { instance, tornDown } = reconciler(engine([], { c1: async () => {} }), [call])
    assert.equal(await instance.run(), 0)
    assert.deepEqual(tornDown, [])
  })

  test('timeouts and failed lists prove nothing: no call is torn down', async ({ assert }) => {
    const call = session('c1')
    await call.offer('v=0')
    const timeout = engine([], {
      c1: () => Promise.reject(new MediaTimeoutError('query', 500)),
    })
    const first = reconciler(timeout, [call])
    assert.equal(await first.instance.run(), 0)
    const down = {
      list: () => Promise.reject(new MediaError('rtpengine list failed')),
      query: () => Promise.reject(new MediaCommandError('query', 'Unknown call-id')),
    }
    const second = reconciler(down, [call])
    assert.equal(await second.instance.run(), 0)
    assert.deepEqual([...first.tornDown, ...second.tornDown], [])
  })

  test('ended calls are skipped, and nothing is asked when no call is anchored', async ({
    assert,
  }) => {
    const call = session('c1')
    await call.offer('v=0')
    await call.cleanup('completed')
    assert.isFalse(call.mediaAnchored)
    const rtp = engine([])
    const { instance, tornDown } = reconciler(rtp, [call, session('c2')])
    assert.equal(await instance.run(), 0)
    assert.deepEqual(rtp.asked, [])
    assert.deepEqual(tornDown, [])
  })

  test('probes trigger a run when rtpengine recovered or a run is due, never while it is down', async ({
    assert,
  }) => {
    const call = session('c1')
    await call.offer('v=0')
    let now = 1000
    const rtp = engine([])
    const { instance } = reconciler(rtp, [call], { everyMs: 5000, now: () => now })
    const settle = () => new Promise((resolve) => setTimeout(resolve, 10))
    instance.onProbe(false, false)
    instance.onProbe(true, false)
    await settle()
    assert.deepEqual(rtp.asked, [], 'not due yet, no recovery')
    instance.onProbe(true, true)
    await settle()
    assert.deepEqual(rtp.asked, ['list', 'query c1'], 'recovery reconciles at once')
    now += 4999
    instance.onProbe(true, false)
    await settle()
    assert.lengthOf(rtp.asked, 2)
    now += 1
    instance.onProbe(false, false)
    await settle()
    assert.lengthOf(rtp.asked, 2, 'a failed ping does not reconcile')
    instance.onProbe(true, false)
    await settle()
    assert.lengthOf(rtp.asked, 4, 'due after everyMs')
  })

  test('rtpengine unreachable for giveUpMs: every anchored call is hung up, once per outage', async ({
    assert,
  }) => {
    const [a, b, ringing] = [session('a'), session('b'), session('ringing')]
    await a.offer('v=0')
    await b.offer('v=0')
    let now = 0
    const rtp = engine(['a', 'b'])
    const { instance, tornDown } = reconciler(rtp, [a, b, ringing], {
      giveUpMs: 30_000,
      now: () => now,
    })
    const settle = () => new Promise((resolve) => setTimeout(resolve, 10))
    instance.onProbe(false, false)
    now = 29_999
    instance.onProbe(false, false)
    await settle()
    assert.deepEqual(tornDown, [], 'a shorter outage is ridden out (a restart is reconciled)')
    now = 30_000
    instance.onProbe(false, false)
    await settle()
    assert.deepEqual(tornDown, ['a', 'b'], 'the call still ringing has no media to lose')
    now = 60_000
    instance.onProbe(false, false)
    await settle()
    assert.deepEqual(tornDown, ['a', 'b'], 'once per outage')
    assert.deepEqual(rtp.asked, [], 'nothing is asked of an unreachable rtpengine')

    // A new outage after a recovery starts its own count.
    instance.onProbe(true, true)
    await settle()
    tornDown.length = 0
    now = 100_000
    instance.onProbe(false, false)
    now = 129_999
    instance.onProbe(false, false)
    await settle()
    assert.deepEqual(tornDown, [])
  })

  test('giveUpMs 0 never gives up', async ({ assert }) => {
    const call = session('c')
    await call.offer('v=0')
    let now = 0
    const { instance, tornDown } = reconciler(engine(['c']), [call], { now: () => now })
    instance.onProbe(false, false)
    now = 3_600_000
    instance.onProbe(false, false)
    await new Promise((resolve) => setTimeout(resolve, 10))
    assert.deepEqual(tornDown, [])
  })
})
