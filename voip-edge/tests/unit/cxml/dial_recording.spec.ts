import { test } from '@japa/runner'
import { parseCxml } from '../../../src/routing/cxml.ts'
import { mixDirections, recordsDial } from '../../../src/cxml/dial_recording.ts'
import type { RtpPacket } from '../../../src/media/audio.ts'

/** 20 ms A-law packets of one constant byte, starting at `startMs`. */
function stream(startMs: number, count: number, byte: number, ssrc: number): RtpPacket[] {
  return Array.from({ length: count }, (_, i) => ({
    timeMs: startMs + i * 20,
    payloadType: 8,
    sequence: i,
    timestamp: i * 160,
    ssrc,
    payload: Buffer.alloc(160, byte),
  }))
}

test.group('Dial recording', () => {
  test('record attribute values that ask for a recording, and those that do not', ({ assert }) => {
    for (const value of [
      'record-from-answer',
      'record-from-start',
      'true',
      ' Record-From-Answer-Dual',
    ])
      assert.isTrue(recordsDial(value), value)
    for (const value of [undefined, '', 'do-not-record', 'false', 'yes please'])
      assert.isFalse(recordsDial(value), String(value))
    const [dial] = parseCxml('<Response><Dial record="record-from-answer">1001</Dial></Response>')
    assert.isTrue(dial.verb === 'Dial' && dial.record)
    const [plain] = parseCxml('<Response><Dial>1001</Dial></Response>')
    assert.isFalse(plain.verb === 'Dial' && plain.record)
  })

  test('both directions are placed on the recording clock and summed', ({ assert }) => {
    // A-law 0xd5 is +8, 0x55 is -8: the caller from 0 ms, the callee from 500 ms.
    const mixed = mixDirections([stream(1000, 50, 0xd5, 1), stream(1500, 50, 0xd5, 2)], 1000, 0)
    assert.equal(mixed.length, 8000 + 4000)
    assert.equal(mixed[100], 8, 'caller alone')
    assert.equal(mixed[5000], 16, 'both')
    assert.equal(mixed[10_000], 8, 'callee alone')
  })

  test('the window is padded to the recorded time and saturates instead of wrapping', ({
    assert,
  }) => {
    // A-law 0xaa is the loudest positive code (32256).
    const mixed = mixDirections([stream(0, 5, 0xaa, 1), stream(0, 5, 0xaa, 2)], 0, 16_000)
    assert.equal(mixed.length, 16_000)
    assert.equal(mixed[10], 32767)
    assert.equal(mixed[15_000], 0)
  })
})
