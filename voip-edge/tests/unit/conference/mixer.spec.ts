import { test } from '@japa/runner'
import {
  ALAW_DECODE,
  codecOf,
  decodeInto,
  encode,
  linearToAlaw,
  linearToUlaw,
  ULAW_DECODE,
} from '../../../src/conference/g711.ts'
import { FrameClock, JitterFifo, mixTick, type MixInput } from '../../../src/conference/mix.ts'
import { parseRtpPacket, RtpSender } from '../../../src/conference/rtp.ts'
import { parseConference } from '../../../src/conference/noun.ts'
import { readOffer, roomSdp } from '../../../src/conference/bridge.ts'
import { chime } from '../../../src/conference/room.ts'
import { parseXml } from '../../../src/routing/cxml.ts'
import { tone, tonePower } from '../../support/goertzel.ts'

const frame = (value: number) => new Int16Array(160).fill(value)
const input = (frameValue: Int16Array | null, extra: Partial<MixInput> = {}): MixInput => ({
  frame: frameValue,
  heard: true,
  hears: true,
  private: null,
  ...extra,
})

test.group('conference G.711 tables', () => {
  test('encoding matches the ITU-T reference points (zero, full scale, sign)', ({ assert }) => {
    assert.equal(linearToUlaw(0), 0xff)
    assert.equal(linearToUlaw(32_767), 0x80)
    assert.equal(linearToUlaw(-32_768), 0x00)
    assert.equal(linearToUlaw(-8), 0x7e)
    assert.equal(linearToAlaw(0), 0xd5)
    assert.equal(linearToAlaw(32_767), 0xaa)
    assert.equal(linearToAlaw(-32_768), 0x2a)
    assert.equal(linearToAlaw(-1), 0x55)
  })

  test('every code decodes and re-encodes to the same level (µ-law and A-law)', ({ assert }) => {
    for (let code = 0; code < 256; code++) {
      const u = ULAW_DECODE[code]
      assert.equal(ULAW_DECODE[linearToUlaw(u)], u, `µ-law code ${code}`)
      const a = ALAW_DECODE[code]
      assert.equal(linearToAlaw(a), code, `A-law code ${code}`)
    }
  })

  test('quantisation error stays within the segment step, encoding is monotonic', ({ assert }) => {
    let previousU = -Infinity
    let previousA = -Infinity
    for (let x = -32_768; x <= 32_767; x += 7) {
      const u = ULAW_DECODE[linearToUlaw(x)]
      const a = ALAW_DECODE[linearToAlaw(x)]
      // Logarithmic steps: ≤ 1/16 of the level plus the smallest step.
      assert.isAtMost(Math.abs(u - x), Math.abs(x) / 16 + 132, `µ-law at ${x}`)
      assert.isAtMost(Math.abs(a - x), Math.abs(x) / 16 + 16, `A-law at ${x}`)
      assert.isAtLeast(u, previousU)
      assert.isAtLeast(a, previousA)
      previousU = u
      previousA = a
    }
  })

  test('buffer encode/decode round-trip and payload types', ({ assert }) => {
    const samples = tone(1000, 160)
    for (const codec of ['PCMU', 'PCMA'] as const) {
      const out = new Int16Array(160)
      decodeInto(codec, encode(codec, samples), out)
      for (let i = 0; i < 160; i++)
        assert.isAtMost(Math.abs(out[i] - samples[i]), Math.abs(samples[i]) / 16 + 132)
    }
    assert.equal(codecOf(0), 'PCMU')
    assert.equal(codecOf(8), 'PCMA')
    assert.isNull(codecOf(101))
  })
})

test.group('conference mixing (N−1, clipping, jitter)', () => {
  test('each participant hears the sum of everyone else, the room mix has all', ({ assert }) => {
    const { outputs, room } = mixTick([input(frame(1000)), input(frame(2000)), input(frame(4000))])
    assert.deepEqual(
      outputs.map((out) => out[0]),
      [6000, 5000, 3000],
    )
    assert.equal(room[159], 7000)
  })

  test('three tones: participant i hears the other two frequencies, not its own', ({ assert }) => {
    const frequencies = [440, 770, 1330]
    const heard = frequencies.map(() => new Int16Array(8000))
    for (let tick = 0; tick < 50; tick++) {
      const frames = frequencies.map((f) => {
        // Through the codec, as on the wire.
        const decoded = new Int16Array(160)
        decodeInto('PCMA', encode('PCMA', tone(f, 160, 8000, tick * 160)), decoded)
        return decoded
      })
      const { outputs } = mixTick(frames.map((f) => input(f)))
      outputs.forEach((out, i) => heard[i].set(out, tick * 160))
    }
    heard.forEach((samples, i) => {
      const own = tonePower(samples, frequencies[i])
      for (const [j, f] of frequencies.entries()) {
        if (j === i) continue
        const other = tonePower(samples, f)
        assert.isAbove(other, own * 1000, `participant ${i} hears ${f} Hz well above its own`)
      }
    })
  })

  test('sums beyond 16 bits saturate instead of wrapping', ({ assert }) => {
    const up = mixTick([input(frame(30_000)), input(frame(30_000)), input(frame(-30_000))])
    assert.deepEqual(
      up.outputs.map((out) => out[0]),
      [0, 0, 32_767],
    )
    assert.equal(up.room[0], 30_000)
    const down = mixTick([input(frame(-30_000)), input(frame(-30_000)), input(frame(30_000))])
    assert.equal(down.outputs[2][0], -32_768)
    const loud = mixTick([input(frame(30_000)), input(frame(30_000)), input(frame(30_000))])
    assert.equal(loud.outputs[0][0], 32_767)
    assert.equal(loud.room[0], 32_767)
  })

  test('missing frames are silence; muted are not heard but hear; waiting hear nothing but their beep', ({
    assert,
  }) => {
    const { outputs, room } = mixTick([
      input(null),
      input(frame(500), { heard: false }),
      input(frame(300)),
      input(frame(900), { heard: false, hears: false, private: frame(77) }),
    ])
    assert.equal(outputs[0][10], 300)
    assert.equal(outputs[1][10], 300, 'a muted participant still hears the room')
    assert.equal(outputs[2][10], 0, 'nobody else is audible')
    assert.equal(outputs[3][10], 77, 'waiting: only its own private audio')
    assert.equal(room[10], 300)
  })

  test('jitter FIFO: frames of 160 from any packet size, silence when short, bounded delay', ({
    assert,
  }) => {
    const fifo = new JitterFifo(3)
    assert.isNull(fifo.take())
    fifo.push(frame(1).subarray(0, 80))
    assert.isNull(fifo.take(), 'half a frame is not played yet')
    fifo.push(frame(2).subarray(0, 80))
    const first = fifo.take()!
    assert.equal(first[0], 1)
    assert.equal(first[159], 2)
    // A burst of five frames into a three-frame buffer keeps the newest three.
    for (let value = 10; value < 15; value++) fifo.push(frame(value))
    assert.equal(fifo.dropped, 320)
    assert.deepEqual([fifo.take()![0], fifo.take()![0], fifo.take()![0]], [12, 13, 14])
    assert.isNull(fifo.take())
  })

  test('join/leave chimes are short, audible and start/end quietly', ({ assert }) => {
    const up = chime('up')
    assert.equal(up.length, 2400)
    assert.isAbove(tonePower(up.subarray(0, 1200), 660), tonePower(up.subarray(0, 1200), 990) * 10)
    assert.isAbove(Math.max(...up.subarray(0, 1200)), 5000)
    assert.isBelow(Math.abs(up[0]), 200)
    assert.isBelow(Math.abs(up[2399]), 200)
  })
})

test.group('conference RTP framing and clock', () => {
  test('sequence +1, timestamp +160, one SSRC, marker on the first packet only', ({ assert }) => {
    const seed = Buffer.alloc(10)
    seed.writeUInt32BE(0xdeadbeef, 0)
    seed.writeUInt16BE(0xfffe, 4)
    seed.writeUInt32BE(0xffffff60, 6)
    const sender = new RtpSender(8, seed)
    const packets = [0, 1, 2].map(() => parseRtpPacket(sender.packet(Buffer.alloc(160, 0xd5)))!)
    assert.deepEqual(
      packets.map((p) => [p.sequence, p.timestamp, p.ssrc, p.marker, p.payloadType]),
      [
        [0xfffe, 0xffffff60, 0xdeadbeef, true, 8],
        [0xffff, 0x00000000, 0xdeadbeef, false, 8],
        [0x0000, 0x000000a0, 0xdeadbeef, false, 8],
      ],
    )
    assert.equal(packets[0].payload.length, 160)
    // Frames the clock skipped still advance the timestamp, not the sequence.
    const after = parseRtpPacket(sender.packet(Buffer.alloc(160), 320))!
    assert.equal(after.sequence, 1)
    assert.equal(after.timestamp, 0x000000a0 + 160 + 320)
  })

  test('parses version 2 only, skips CSRCs, extension and padding', ({ assert }) => {
    assert.isNull(parseRtpPacket(Buffer.alloc(11)))
    assert.isNull(parseRtpPacket(Buffer.from([0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])))
    const packet = Buffer.concat([
      Buffer.from([0xb1, 0x00, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3]),
      Buffer.from([0, 0, 0, 9]), // one CSRC
      Buffer.from([0xbe, 0xde, 0, 1, 1, 2, 3, 4]), // extension, one word
      Buffer.from([0xaa, 0xbb]),
      Buffer.from([0, 2]), // padding of 2
    ])
    const parsed = parseRtpPacket(packet)!
    assert.deepEqual([...parsed.payload], [0xaa, 0xbb])
  })

  test('ticks are due at a fixed origin + 20·n: late wake-ups catch up, long stalls are skipped', ({
    assert,
  }) => {
    let now = 1000
    const ticks: number[] = []
    const clock = new FrameClock(
      (skipped) => ticks.push(skipped),
      () => now,
      5,
    )
    clock.start()
    clock.stop()
    clock.runDue()
    assert.deepEqual(ticks, [0], 'tick 0 is due at the origin')
    now = 1000 + 59
    clock.runDue()
    assert.deepEqual(ticks, [0, 0, 0], 'ticks 1 and 2 are due by 59 ms')
    now = 1000 + 59.9
    clock.runDue()
    assert.lengthOf(ticks, 3, 'no drift: nothing more before 60 ms')
    now = 1000 + 60
    clock.runDue()
    assert.lengthOf(ticks, 4)
    // A 1 s stall: five catch-up ticks, the rest skipped (reported once).
    now = 1000 + 1060
    clock.runDue()
    assert.deepEqual(ticks.slice(4), [45, 0, 0, 0, 0])
    assert.equal(clock.skipped, 45)
    assert.lengthOf(ticks, 9)
  })
})

test.group('Conference noun and room SDP', () => {
  test('attributes: defaults, beep variants, clamping, unknown reported', ({ assert }) => {
    const plain = parseConference(parseXml('<Conference>sales</Conference>'))
    assert.include(plain, {
      name: 'sales',
      beepOnEnter: true,
      beepOnExit: true,
      muted: false,
      startConferenceOnEnter: true,
      endConferenceOnExit: false,
      maxParticipants: 250,
      record: false,
    })
    const full = parseConference(
      parseXml(
        '<Conference beep="onExit" muted="true" startConferenceOnEnter="false" endConferenceOnExit="true" maxParticipants="0" record="record-from-start" waitUrl="x"> </Conference>',
      ),
    )
    assert.include(full, {
      name: 'default',
      beepOnEnter: false,
      beepOnExit: true,
      muted: true,
      startConferenceOnEnter: false,
      endConferenceOnExit: true,
      maxParticipants: 1,
      record: true,
    })
    assert.deepEqual(full.ignored, ['waitUrl'])
    const onEnter = parseConference(
      parseXml('<Conference beep="onEnter" maxParticipants="999">r</Conference>'),
    )
    assert.include(onEnter, { beepOnEnter: true, beepOnExit: false, maxParticipants: 250 })
    assert.include(parseConference(parseXml('<Conference beep="false">r</Conference>')), {
      beepOnEnter: false,
      beepOnExit: false,
    })
  })

  test('the room answers one G.711 codec (the first offered) plus telephone-event', ({
    assert,
  }) => {
    const offered = [
      'v=0',
      'o=- 1 1 IN IP4 127.0.0.1',
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      'm=audio 30010 RTP/AVP 8 0 101',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=sendrecv',
      '',
    ].join('\r\n')
    const offer = readOffer(offered)!
    assert.deepEqual(offer, {
      codec: 'PCMA',
      payloadType: 8,
      dtmf: 101,
      remote: { address: '127.0.0.1', port: 30010 },
    })
    const sdp = roomSdp(offer, '127.0.0.2', 40_000, 'sendrecv')
    assert.match(sdp, /^m=audio 40000 RTP\/AVP 8 101\r$/m)
    assert.match(sdp, /^c=IN IP4 127\.0\.0\.2\r$/m)
    assert.notMatch(sdp, /PCMU/)
    assert.isNull(readOffer(offered.replace('RTP/AVP 8 0 101', 'RTP/AVP 9 101')))
  })
})
