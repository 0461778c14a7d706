import { test } from '@japa/runner'
import { pino } from 'pino'
import { SipStack } from '../../../src/stack/sip_stack.ts'
import { Dialog, DialogRegistry } from '../../../src/dialog/dialog.ts'
import { DEFAULT_TIMERS } from '../../../src/transaction/clock.ts'
import { getHeader, parseCSeq, tagOf } from '../../../src/sip/message.ts'
import { parseMessage } from '../../../src/sip/parser.ts'
import { FakeClock } from '../../support/fake_clock.ts'
import { FakeUdp } from '../../support/fake_udp.ts'

function inDialog(method: string, cseq: number, branch: string, body = ''): string {
  return [
    `${method} sip:edge@127.0.0.1:5999 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:6000;branch=z9hG4bK${branch}`,
    'From: <sip:b@x>;tag=R',
    'To: <sip:a@x>;tag=L',
    'Call-ID: d1',
    `CSeq: ${cseq} ${method}`,
    'Contact: <sip:b@127.0.0.1:6000>',
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${body.length}`,
    '',
    body,
  ].join('\r\n')
}

async function setup() {
  const clock = new FakeClock()
  const udp = new FakeUdp()
  const registry = new DialogRegistry()
  const stack = new SipStack({
    transports: [udp],
    clock,
    logger: pino({ level: 'silent' }),
    onRequest: (request, transaction) =>
      registry
        .forRequest(
          getHeader(request, 'call-id')!,
          tagOf(getHeader(request, 'to')!),
          tagOf(getHeader(request, 'from')!),
        )
        ?.receiveRequest(request, transaction),
    onAck: (ack) =>
      registry
        .forRequest(
          getHeader(ack, 'call-id')!,
          tagOf(getHeader(ack, 'to')!),
          tagOf(getHeader(ack, 'from')!),
        )
        ?.ackReceived(parseCSeq(getHeader(ack, 'cseq')!)?.seq),
  })
  await stack.start()
  const dialog = new Dialog({
    stack,
    local: { sentBy: () => '127.0.0.1:5999', contact: () => '<sip:edge@127.0.0.1:5999>' },
    callId: 'd1',
    localTag: 'L',
    remoteTag: 'R',
    localUri: '<sip:a@x>',
    remoteUri: '<sip:b@x>',
    remoteTarget: 'sip:b@127.0.0.1:6000',
    localSeq: 1,
    destination: { protocol: 'udp', address: '127.0.0.1', port: 6000 },
    clock,
    timers: DEFAULT_TIMERS,
  })
  registry.add(dialog)
  return { clock, udp, dialog }
}

const tick = () => new Promise((resolve) => setImmediate(resolve))
const statuses = (sent: string[]) => sent.map((text) => text.split('\r\n')[0])

test.group('Dialog', () => {
  test('the 2xx to a re-INVITE is retransmitted over UDP (T1 doubling) until the ACK arrives', async ({
    assert,
  }) => {
    const { clock, udp, dialog } = await setup()
    dialog.onModify(async () => 'v=0\r\n')
    udp.deliver(inDialog('INVITE', 2, 're1', 'v=0\r\n'))
    await tick()
    assert.deepEqual(statuses(udp.sent), ['SIP/2.0 200 OK'])
    clock.advance(500)
    clock.advance(1000)
    assert.lengthOf(udp.sent, 3)
    udp.deliver(inDialog('ACK', 2, 'ack1'))
    clock.advance(30_000)
    assert.lengthOf(udp.sent, 3, 'no retransmission after the ACK')
  })

  test('an ACK with another CSeq than the re-INVITE does not stop the 2xx retransmission', async ({
    assert,
  }) => {
    const { clock, udp, dialog } = await setup()
    dialog.onModify(async () => 'v=0\r\n')
    udp.deliver(inDialog('INVITE', 3, 're4', 'v=0\r\n'))
    await tick()
    udp.deliver(inDialog('ACK', 2, 'stale-ack'))
    clock.advance(500)
    assert.lengthOf(udp.sent, 2, 'still retransmitted')
    udp.deliver(inDialog('ACK', 3, 'ack4'))
    clock.advance(30_000)
    assert.lengthOf(udp.sent, 2, 'no retransmission after the ACK')
  })

  test('without an ACK the retransmission stops after 64*T1', async ({ assert }) => {
    const { clock, udp, dialog } = await setup()
    dialog.onModify(async () => 'v=0\r\n')
    udp.deliver(inDialog('INVITE', 2, 're2', 'v=0\r\n'))
    await tick()
    clock.advance(64 * 500)
    const count = udp.sent.length
    clock.advance(60_000)
    assert.equal(udp.sent.length, count)
    assert.isAbove(count, 5)
  })

  test('glare: a re-INVITE crossing ours gets 491', async ({ assert }) => {
    const { udp, dialog } = await setup()
    void dialog.modify('v=0\r\n').catch(() => undefined)
    udp.deliver(inDialog('INVITE', 2, 're3', 'v=0\r\n'))
    await tick()
    const responses = udp.sent.filter((text) => text.startsWith('SIP/2.0'))
    assert.deepEqual(statuses(responses), ['SIP/2.0 491 Request Pending'])
    assert.equal(
      parseMessage(Buffer.from(udp.sent[0])).kind,
      'request',
      'our own re-INVITE went out first',
    )
  })

  test('BYE from the peer is answered 200 and reported once', async ({ assert }) => {
    const { udp, dialog } = await setup()
    let byes = 0
    dialog.onRemoteBye(() => byes++)
    udp.deliver(inDialog('BYE', 3, 'bye1'))
    udp.deliver(inDialog('BYE', 3, 'bye1'))
    assert.equal(byes, 1)
    assert.isTrue(dialog.terminated)
    assert.deepEqual(
      statuses(udp.sent),
      ['SIP/2.0 200 OK', 'SIP/2.0 200 OK'],
      'the retransmitted BYE gets the same answer from the transaction',
    )
  })
})
