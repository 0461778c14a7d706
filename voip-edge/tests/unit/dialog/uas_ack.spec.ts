import { test } from '@japa/runner'
import { pino } from 'pino'
import { NativeSignalingPort } from '../../../src/signaling/native_port.ts'
import type { InboundCall } from '../../../src/signaling/signaling_port.ts'
import { FakeClock } from '../../support/fake_clock.ts'
import { FakeUdp } from '../../support/fake_udp.ts'

function request(method: string, cseq: number, branch: string, toTag?: string, body = '') {
  return [
    `${method} sip:bob@pbx.test SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK${branch};rport`,
    'From: <sip:alice@pbx.test>;tag=A1',
    `To: <sip:bob@pbx.test>${toTag ? `;tag=${toTag}` : ''}`,
    'Call-ID: ack-cseq-1',
    `CSeq: ${cseq} ${method}`,
    'Contact: <sip:alice@127.0.0.1:6000>',
    'Max-Forwards: 70',
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${body.length}`,
    '',
    body,
  ].join('\r\n')
}

const tick = () => new Promise((resolve) => setImmediate(resolve))
const oks = (sent: string[]) => sent.filter((text) => text.startsWith('SIP/2.0 200')).length

test.group('UAS 2xx and its ACK', () => {
  test('an ACK with the CSeq of an earlier INVITE (the late ACK of a 407) does not stop the 200 retransmission', async ({
    assert,
  }) => {
    const clock = new FakeClock()
    const udp = new FakeUdp()
    const port = new NativeSignalingPort({
      transports: [udp],
      clock,
      logger: pino({ level: 'silent' }),
      advertisedHost: '127.0.0.1',
    })
    await port.start()
    let call: InboundCall | null = null
    port.onInvite((inbound) => (call = inbound))
    // The authenticated INVITE after a 407 to CSeq 1.
    udp.deliver(request('INVITE', 2, 'inv2', undefined, 'v=0\r\n'))
    await tick()
    assert.isNotNull(call)
    let confirmed = false
    void call!.answer('v=0\r\n').then(() => (confirmed = true))
    assert.equal(oks(udp.sent), 1)
    const toTag = /^To:.*;tag=([^;\r]+)/m.exec(
      udp.sent.find((t) => t.startsWith('SIP/2.0 200'))!,
    )![1]

    // sipp re-sends its ACK for the 407 with the To header it saw last (ours, from the 200):
    // same dialog tags, CSeq 1, a branch no transaction knows. It is not the 200's ACK.
    udp.deliver(request('ACK', 1, 'ack-of-407', toTag))
    await tick()
    clock.advance(500)
    assert.equal(oks(udp.sent), 2, 'the 200 is still retransmitted')
    assert.isFalse(confirmed)

    udp.deliver(request('ACK', 2, 'ack-of-200', toTag))
    await tick()
    assert.isTrue(confirmed)
    clock.advance(30_000)
    assert.equal(oks(udp.sent), 2, 'no retransmission after the real ACK')
    await port.close()
  })
})
