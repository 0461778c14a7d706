import { test } from '@japa/runner'
import { readFileSync } from 'node:fs'
import {
  alawToLinear,
  decodeG711,
  parseRtp,
  readPcap,
  udpOf,
  ulawToLinear,
  wavDurationMs,
  wavFile,
  type RtpPacket,
} from '../../../src/media/audio.ts'
import { parseDtmfDatagram } from '../../../src/media/dtmf_sink.ts'

const rtp = (timestamp: number, payload: number[], payloadType = 8): RtpPacket => ({
  timeMs: 0,
  payloadType,
  sequence: 0,
  timestamp,
  ssrc: 7,
  payload: Buffer.from(payload),
})

test.group('recording conversion (pcap, G.711, WAV)', () => {
  test('G.711 decoding matches ITU-T G.711 reference values', ({ assert }) => {
    assert.equal(ulawToLinear(0xff), 0)
    assert.equal(ulawToLinear(0x80), 32_124)
    assert.equal(ulawToLinear(0x00), -32_124)
    assert.equal(alawToLinear(0xd5), 8)
    assert.equal(alawToLinear(0x55), -8)
    assert.equal(alawToLinear(0xaa), 32_256)
    assert.equal(alawToLinear(0x2a), -32_256)
  })

  test("sipp's g711a.pcap: every RTP packet read, 7.08 s of A-law decoded", ({ assert }) => {
    const packets = readPcap(readFileSync('/usr/share/sip-tester/g711a.pcap'))
    const rtpPackets = packets.map((packet) => parseRtp(udpOf(packet)!)!)
    assert.lengthOf(rtpPackets, 236)
    assert.isTrue(rtpPackets.every((packet) => packet.payloadType === 8))
    const audio = decodeG711(rtpPackets)
    assert.equal(audio.samples.length, 7.08 * 8000)
  })

  test('gaps are filled with silence by RTP timestamp; DTMF and duplicates are skipped', ({
    assert,
  }) => {
    const audio = decodeG711([
      rtp(320, [0x2a, 0x2a]),
      rtp(0, [0xaa, 0xaa]),
      rtp(0, [0xaa, 0xaa]),
      rtp(2, [1, 2, 3, 4], 101),
    ])
    assert.equal(audio.samples.length, 322)
    assert.equal(audio.samples[0], 32_256)
    assert.equal(audio.samples[100], 0)
    assert.equal(audio.samples[321], -32_256)
  })

  test('WAV header: 8 kHz, mono, 16-bit, duration', ({ assert }) => {
    const wav = wavFile(new Int16Array(12_000))
    assert.equal(wav.toString('ascii', 0, 4), 'RIFF')
    assert.equal(wav.readUInt32LE(24), 8000)
    assert.equal(wav.readUInt16LE(22), 1)
    assert.equal(wav.readUInt16LE(34), 16)
    assert.equal(wavDurationMs(wav), 1500)
    assert.isNull(wavDurationMs(Buffer.from('not a wav')))
  })

  test("rtpengine's DTMF log datagrams: digits 0-9, *, #; anything else ignored", ({ assert }) => {
    const datagram = (event: unknown, type = 'DTMF') =>
      Buffer.from(JSON.stringify({ callid: 'c1', source_tag: 'a', type, event }))
    assert.deepEqual(parseDtmfDatagram(datagram(5)), { callId: 'c1', sourceTag: 'a', digit: '5' })
    assert.equal(parseDtmfDatagram(datagram(10))?.digit, '*')
    assert.equal(parseDtmfDatagram(datagram(11))?.digit, '#')
    assert.isNull(parseDtmfDatagram(datagram(16)))
    assert.isNull(parseDtmfDatagram(datagram('5')))
    assert.isNull(parseDtmfDatagram(datagram(5, 'other')))
    assert.isNull(parseDtmfDatagram(Buffer.from('{not json')))
  })
})
