import { test } from '@japa/runner'
import {
  nextCallState,
  stateFromCloudonix,
  CALL_STATES,
  type CallState,
} from '#services/calls/call_state'

function apply(events: CallState[]) {
  return events.reduce<CallState>((state, event) => nextCallState(state, event).state, 'initiated')
}

/* Deterministic shuffle (seeded) so a failure is reproducible. */
function shuffled<T>(items: T[], seed: number) {
  const out = [...items]
  let s = seed
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2 ** 31
    const j = s % (i + 1)
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

test.group('Call state machine', () => {
  test('moves forward through the happy path', ({ assert }) => {
    assert.equal(apply(['ringing', 'answered', 'completed']), 'completed')
    assert.deepEqual(nextCallState('ringing', 'answered'), { state: 'answered', changed: true })
  })

  test('never moves backwards: a late ringing after answered is ignored', ({ assert }) => {
    assert.deepEqual(nextCallState('answered', 'ringing'), {
      state: 'answered',
      changed: false,
      ignored: 'stale',
    })
    assert.deepEqual(nextCallState('completed', 'answered'), {
      state: 'completed',
      changed: false,
      ignored: 'terminal',
    })
    assert.deepEqual(nextCallState('busy', 'ringing'), {
      state: 'busy',
      changed: false,
      ignored: 'terminal',
    })
  })

  test('shuffled triple deliveries end where in-order delivery ends', ({ assert }) => {
    const sequences: CallState[][] = [
      ['ringing', 'answered', 'completed'],
      ['ringing', 'busy'],
      ['ringing', 'no_answer'],
      ['ringing', 'canceled'],
      ['failed'],
      ['ringing', 'answered', 'busy', 'completed'], // a losing fork leg reports busy
    ]
    for (const sequence of sequences) {
      const inOrder = apply(sequence)
      const tripled = [...sequence, ...sequence, ...sequence]
      for (let seed = 1; seed <= 200; seed++) {
        assert.equal(apply(shuffled(tripled, seed)), inOrder, `${sequence.join(',')} seed ${seed}`)
      }
    }
  })

  test('any two terminal outcomes settle the same way in either order', ({ assert }) => {
    for (const a of CALL_STATES) {
      for (const b of CALL_STATES) {
        assert.equal(apply([a, b]), apply([b, a]), `${a} / ${b}`)
      }
    }
  })

  test('maps Cloudonix statuses and dispositions', ({ assert }) => {
    assert.equal(stateFromCloudonix('processing'), 'initiated')
    assert.equal(stateFromCloudonix('connected'), 'answered')
    assert.equal(stateFromCloudonix('NOANSWER'), 'no_answer')
    assert.equal(stateFromCloudonix('nocredit'), 'failed')
    assert.isNull(stateFromCloudonix('external'))
  })
})
