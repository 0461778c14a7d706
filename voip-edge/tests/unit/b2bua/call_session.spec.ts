import { test } from '@japa/runner'
import { pino } from 'pino'
import { CallSession, type MediaControl } from '../../../src/b2bua/call_session.ts'
import type { InboundCall, OutboundCall } from '../../../src/signaling/signaling_port.ts'
import { FakeClock } from '../../support/fake_clock.ts'

function fakes(options: { deleteFails?: boolean } = {}) {
  const calls: string[] = []
  const media: MediaControl = {
    offer: async (params) => {
      calls.push(`offer ${params.callId} ${params.fromTag}`)
      return { sdp: 'v=0 offer' }
    },
    answer: async (params) => {
      calls.push(`answer ${params.toTag}`)
      return { sdp: 'v=0 answer' }
    },
    delete: async (params) => {
      calls.push(`delete ${params.callId}`)
      if (options.deleteFails) throw new Error('rtpengine timeout')
      return { rtpPackets: 42 }
    },
  }
  const a = {
    callId: 'call-1',
    fromTag: 'tagA',
    release: () => calls.push('release A'),
  } as unknown as InboundCall
  const fork = (name: string) =>
    ({
      outcome: new Promise(() => {}),
      cancel: () => calls.push(`cancel ${name}`),
    }) as unknown as OutboundCall
  const ended: CallSession[] = []
  const clock = new FakeClock()
  const session = new CallSession({
    a,
    organizationId: 'org',
    log: pino({ level: 'silent' }),
    media,
    clock,
    onEnded: (s) => ended.push(s),
  })
  return { session, calls, ended, clock, fork }
}

test.group('CallSession', () => {
  test('cleanup releases everything it acquired: timers, forks, A-leg, rtpengine session — once', async ({
    assert,
  }) => {
    const { session, calls, ended, clock, fork } = fakes()
    let fired = false
    session.setTimer(10_000, () => (fired = true))
    session.forks.push(fork('b1'), fork('b2'))
    await session.offer('v=0')
    await Promise.all([
      session.cleanup('cancel'),
      session.cleanup('completed'),
      session.cleanup('failed'),
    ])
    assert.deepEqual(calls, [
      'offer call-1 tagA',
      'cancel b1',
      'cancel b2',
      'release A',
      'delete call-1',
    ])
    assert.equal(session.endReason, 'cancel', 'the first caller decides the reason')
    assert.equal(session.rtpPackets, 42)
    assert.lengthOf(ended, 1)
    clock.advance(20_000)
    assert.isFalse(fired, 'timers are cleared')
    assert.equal(clock.pending, 0)
  })

  test('a call that never reached media deletes nothing', async ({ assert }) => {
    const { session, calls } = fakes()
    await session.cleanup('rejected')
    assert.notInclude(calls.join(','), 'delete')
  })

  test('a failing rtpengine delete does not stop the cleanup', async ({ assert }) => {
    const { session, calls, ended } = fakes({ deleteFails: true })
    await session.offer('v=0')
    await session.cleanup('completed')
    assert.include(calls, 'delete call-1')
    assert.lengthOf(ended, 1)
    await session.ended
  })
})
