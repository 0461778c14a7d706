import { test } from '@japa/runner'
import { Redis } from 'ioredis'
import { pino } from 'pino'
import { CallRecovery, RECOVERY_CSEQ_GAP, type CallRecord } from '../../src/b2bua/call_records.ts'
import type { CallSession } from '../../src/b2bua/call_session.ts'
import type { DialogRequestOptions, DialogSnapshot } from '../../src/signaling/signaling_port.ts'
import { uniquePrefix, deleteKeys } from '../support/edge_harness.ts'

const logger = pino({ level: 'silent' })
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

function leg(callId: string, side: 'a' | 'b', localSeq: number): DialogSnapshot {
  return {
    callId,
    localTag: `${side}-local`,
    remoteTag: `${side}-remote`,
    localUri: `<sip:${side}-local@edge.test>`,
    remoteUri: `<sip:${side}-remote@phone.test>`,
    remoteTarget: `sip:${side}@127.0.0.2:5062`,
    localSeq,
    peer: { protocol: 'tcp', address: '127.0.0.2', port: 5062, flowId: 'flow-of-the-dead-process' },
  }
}

/** What CallRecovery reads of a call: its legs' dialog state and the CDR facts. */
function session(callId: string, legs: { a: DialogSnapshot; b: DialogSnapshot | null }) {
  const dialog = (snapshot: DialogSnapshot) => ({ terminated: false, snapshot: () => snapshot })
  return {
    callId,
    organizationId: 'org-1',
    facts: { domain: 'acme.test', from: '1001', to: '1002' },
    startedAt: 1000,
    answeredAt: 2000,
    cleanedUp: false,
    a: { dialog: dialog(legs.a) },
    bDialog: legs.b ? dialog(legs.b) : null,
  } as unknown as CallSession
}

test.group('call records: a crashed edge’s calls are hung up by another (Redis)', (group) => {
  let redis: Redis
  let prefix: string
  const running: CallRecovery[] = []

  group.each.setup(async () => {
    redis = new Redis({ maxRetriesPerRequest: 2 })
    prefix = uniquePrefix()
    return async () => {
      for (const instance of running.splice(0)) await instance.stop()
      await deleteKeys(redis, prefix)
      redis.disconnect()
    }
  })

  function recovery(instanceId: string, sessions: CallSession[], timing: object) {
    const byes: DialogRequestOptions[] = []
    const mediaDeleted: string[] = []
    const recovered: CallRecord[] = []
    const instance = new CallRecovery({
      redis,
      prefix,
      instanceId,
      logger,
      sessions: () => sessions,
      sendBye: async (options) => {
        byes.push(options)
        return 200
      },
      deleteMedia: async (callId) => mediaDeleted.push(callId),
      onRecovered: (record) => recovered.push(record),
      ...timing,
    })
    return { instance, byes, mediaDeleted, recovered }
  }

  test('each record is claimed by exactly one edge; both legs get a BYE; live owners are left alone', async ({
    assert,
  }) => {
    const calls = ['call-1', 'call-2', 'call-3'].map((id) =>
      session(id, { a: leg(id, 'a', 0), b: leg(id, 'b', 4) }),
    )
    // The crashed edge: its heartbeat lapses after 1.5 s and is never refreshed.
    const crashed = recovery('crashed', calls, { heartbeatMs: 60_000, ownerTtlMs: 1500 })
    running.push(crashed.instance)
    await crashed.instance.start()
    for (const call of calls) crashed.instance.onStatus(call, 'connected')
    await crashed.instance.settled()
    assert.equal(await redis.hlen(`${prefix}edge:calls:crashed`), 3)

    const aliveCall = session('call-live', { a: leg('call-live', 'a', 0), b: null })
    const alive = recovery('alive', [aliveCall], { heartbeatMs: 100, ownerTtlMs: 2000 })
    running.push(alive.instance)
    await alive.instance.start()
    alive.instance.onStatus(aliveCall, 'connected')

    const peers = [
      recovery('peer-1', [], { heartbeatMs: 100, ownerTtlMs: 2000 }),
      recovery('peer-2', [], { heartbeatMs: 100, ownerTtlMs: 2000 }),
    ]
    for (const peer of peers) {
      running.push(peer.instance)
      await peer.instance.start()
    }
    // Before the heartbeat lapses nobody touches the crashed edge's calls.
    assert.deepEqual(
      [alive, ...peers].flatMap((peer) => peer.byes),
      [],
    )
    // Every live edge sweeps, the one holding a call of its own too.
    const sweepers = [alive, ...peers]
    const claimed = () => sweepers.reduce((sum, peer) => sum + peer.recovered.length, 0)
    for (let waited = 0; claimed() < 3 && waited < 10_000; waited += 50) await sleep(50)
    // A few more sweeps: a record claimed twice would show up now.
    await sleep(400)
    for (const peer of sweepers) await peer.instance.settled()

    const byes = sweepers.flatMap((peer) => peer.byes)
    const recovered = sweepers.flatMap((peer) => peer.recovered).map((record) => record.callId)
    assert.sameMembers(recovered, ['call-1', 'call-2', 'call-3'], 'each call recovered once')
    assert.sameMembers(
      sweepers.flatMap((peer) => peer.mediaDeleted),
      ['call-1', 'call-2', 'call-3'],
    )
    assert.lengthOf(byes, 6, 'two legs per call, one BYE each')
    const bLeg = byes.find((bye) => bye.callId === 'call-2' && bye.from.includes('b-local'))!
    assert.deepEqual(bLeg, {
      method: 'BYE',
      target: 'sip:b@127.0.0.2:5062',
      // The dead process's TCP flow cannot be reused: the peer is dialled anew.
      peer: { protocol: 'tcp', address: '127.0.0.2', port: 5062 },
      callId: 'call-2',
      from: '<sip:b-local@edge.test>;tag=b-local',
      to: '<sip:b-remote@phone.test>;tag=b-remote',
      cseq: 4 + RECOVERY_CSEQ_GAP,
      headers: [{ name: 'reason', value: 'SIP;cause=500;text="edge restarted"' }],
    })
    assert.isFalse(
      byes.some((bye) => bye.callId === 'call-live'),
      'a live edge keeps its calls',
    )
    assert.equal(await redis.exists(`${prefix}edge:calls:crashed`), 0)
    assert.notInclude(await redis.smembers(`${prefix}edge:owners`), 'crashed')
    assert.equal(await redis.hlen(`${prefix}edge:calls:alive`), 1)
  })

  test('an ended call is forgotten; a changed dialog is rewritten on the next heartbeat', async ({
    assert,
  }) => {
    const a = leg('call-9', 'a', 0)
    const call = session('call-9', { a, b: null })
    const edge = recovery('edge', [call], { heartbeatMs: 50, ownerTtlMs: 2000 })
    running.push(edge.instance)
    await edge.instance.start()
    edge.instance.onStatus(call, 'connected')
    await edge.instance.settled()
    const stored = async () =>
      JSON.parse((await redis.hget(`${prefix}edge:calls:edge`, 'call-9'))!) as CallRecord
    assert.lengthOf((await stored()).legs, 1)

    // A B-leg joins later (IVR then Dial, or a transfer) and a re-INVITE moves the CSeq.
    ;(call as unknown as { bDialog: unknown }).bDialog = {
      terminated: false,
      snapshot: () => leg('call-9', 'b', 7),
    }
    a.localSeq = 2
    await sleep(200)
    const updated = await stored()
    assert.deepEqual(
      updated.legs.map((snapshot) => snapshot.localSeq),
      [2, 7],
    )

    // As CallSession does: cleaned up first, then the 'ended' status.
    ;(call as unknown as { cleanedUp: boolean }).cleanedUp = true
    edge.instance.onStatus(call, 'ended')
    await edge.instance.settled()
    await sleep(150)
    assert.equal(await redis.hexists(`${prefix}edge:calls:edge`, 'call-9'), 0)
  })
})
