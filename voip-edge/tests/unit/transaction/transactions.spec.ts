import { test } from '@japa/runner'
import { FakeClock } from '../../support/fake_clock.ts'
import { TransactionLayer } from '../../../src/transaction/transaction_layer.ts'
import type { Destination } from '../../../src/transaction/types.ts'
import type { SipRequest, SipResponse } from '../../../src/sip/message.ts'
import { parseMessage } from '../../../src/sip/parser.ts'
import { buildResponse } from '../../../src/sip/serializer.ts'
import type { ServerTransaction } from '../../../src/transaction/server_transaction.ts'

const UDP: Destination = { protocol: 'udp', address: '127.0.0.1', port: 5099 }
const TCP: Destination = { protocol: 'tcp', address: '127.0.0.1', port: 5099, flowId: 'tcp-1' }

function request(method: string, branch = 'z9hG4bKtest1'): SipRequest {
  const text = [
    `${method} sip:bob@example.com SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:5099;branch=${branch}`,
    'From: <sip:alice@example.com>;tag=a1',
    'To: <sip:bob@example.com>',
    'Call-ID: tx-test@example.com',
    `CSeq: 1 ${method}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n')
  return parseMessage(Buffer.from(text)) as SipRequest
}

function response(req: SipRequest, status: number): SipResponse {
  return buildResponse(req, status, { toTag: 'b1' })
}

function setup(clock = new FakeClock(), maxServerTransactions = 0) {
  const sent: Array<{ message: SipRequest | SipResponse; at: number }> = []
  const received: Array<{ request: SipRequest; tx: ServerTransaction }> = []
  const acks: SipRequest[] = []
  let ackTimeouts = 0
  const layer = new TransactionLayer({
    clock,
    send: async (message) => {
      // Final responses arrive serialized: parse them back, which also checks the bytes.
      sent.push({
        message: Buffer.isBuffer(message)
          ? (parseMessage(message) as SipRequest | SipResponse)
          : message,
        at: clock.now(),
      })
    },
    isReliable: (protocol) => protocol !== 'udp',
    onRequest: (req, tx) => received.push({ request: req, tx }),
    onAck: (ack) => acks.push(ack),
    onAckTimeout: () => ackTimeouts++,
    maxServerTransactions,
    onShed: () => shed++,
  })
  let shed = 0
  return { clock, sent, received, acks, layer, ackTimeouts: () => ackTimeouts, shed: () => shed }
}

const statuses = (sent: Array<{ message: SipRequest | SipResponse }>) =>
  sent.map(({ message }) => (message.kind === 'response' ? message.status : message.method))

test.group('server transactions', () => {
  test('non-INVITE: retransmissions are absorbed before the answer and answered after it', ({
    assert,
  }) => {
    const { layer, sent, received, clock } = setup()
    const req = request('OPTIONS')
    layer.receiveRequest(req, UDP, UDP)
    layer.receiveRequest(req, UDP, UDP)
    assert.lengthOf(received, 1, 'TU sees the request once')
    assert.lengthOf(sent, 0, 'Trying absorbs retransmissions silently')
    received[0].tx.respond(response(req, 200))
    layer.receiveRequest(req, UDP, UDP)
    assert.deepEqual(statuses(sent), [200, 200])
    clock.advance(64 * 500 - 1)
    assert.equal(layer.counts.server, 1, 'Timer J keeps it for 64*T1 over UDP')
    clock.advance(1)
    assert.equal(layer.counts.server, 0)
  })

  test('non-INVITE over TCP: Timer J is zero', ({ assert }) => {
    const { layer, received, clock } = setup()
    const req = request('OPTIONS')
    layer.receiveRequest(req, TCP, TCP)
    received[0].tx.respond(response(req, 200))
    clock.advance(0)
    assert.equal(layer.counts.server, 0)
  })

  test('INVITE non-2xx: Timer G retransmits with doubling capped at T2 until ACK, then Timer I', ({
    assert,
  }) => {
    const { layer, sent, received, clock } = setup()
    const req = request('INVITE')
    layer.receiveRequest(req, UDP, UDP)
    received[0].tx.respond(response(req, 486))
    clock.advance(500 + 1000 + 2000 + 4000 + 4000)
    assert.deepEqual(
      sent.map((s) => s.at),
      [0, 500, 1500, 3500, 7500, 11500],
    )
    layer.receiveRequest(request('ACK'), UDP, UDP)
    assert.equal(received[0].tx.state, 'confirmed')
    assert.lengthOf(received, 1, 'the ACK is not passed to the TU')
    clock.advance(10_000)
    assert.lengthOf(sent, 6, 'no more retransmissions after ACK')
    assert.equal(layer.counts.server, 0, 'Timer I (T4) ended it')
  })

  test('INVITE non-2xx without ACK: Timer H fires after 64*T1', ({ assert }) => {
    const { layer, received, clock, ackTimeouts } = setup()
    const req = request('INVITE')
    layer.receiveRequest(req, UDP, UDP)
    received[0].tx.respond(response(req, 404))
    clock.advance(32_000)
    assert.equal(ackTimeouts(), 1)
    assert.equal(layer.counts.server, 0)
    assert.equal(clock.pending, 0, 'no timer left behind')
  })

  test('INVITE: a retransmission in Proceeding resends the last provisional response', ({
    assert,
  }) => {
    const { layer, sent, received } = setup()
    const req = request('INVITE')
    layer.receiveRequest(req, UDP, UDP)
    received[0].tx.respond(response(req, 180))
    layer.receiveRequest(req, UDP, UDP)
    assert.deepEqual(statuses(sent), [180, 180])
  })

  test('INVITE 2xx: Accepted state (RFC 6026) absorbs retransmissions for 64*T1; the ACK goes to the dialog layer', ({
    assert,
  }) => {
    const { layer, received, acks, sent, clock } = setup()
    const req = request('INVITE')
    layer.receiveRequest(req, UDP, UDP)
    received[0].tx.respond(response(req, 200))
    assert.equal(received[0].tx.state, 'accepted')
    layer.receiveRequest(req, UDP, UDP)
    assert.lengthOf(received, 1, 'a retransmitted INVITE is not a new call')
    assert.lengthOf(sent, 1, '2xx retransmission is left to the UAS core')
    layer.receiveRequest(request('ACK', 'z9hG4bKother'), UDP, UDP)
    assert.lengthOf(acks, 1)
    clock.advance(32_000)
    assert.equal(layer.counts.server, 0)
  })

  test('CANCEL is its own transaction next to the INVITE it cancels', ({ assert }) => {
    const { layer, received } = setup()
    layer.receiveRequest(request('INVITE'), UDP, UDP)
    layer.receiveRequest(request('CANCEL'), UDP, UDP)
    assert.deepEqual(
      received.map((r) => r.request.method),
      ['INVITE', 'CANCEL'],
    )
  })
})

test.group('client transactions', () => {
  test('INVITE over UDP: Timer A doubles, Timer B times out after 64*T1', ({ assert }) => {
    const { layer, sent, clock } = setup()
    let timeouts = 0
    layer.sendRequest(request('INVITE'), UDP, {
      onResponse() {},
      onTimeout: () => timeouts++,
      onTransportError() {},
    })
    clock.advance(32_000)
    assert.deepEqual(
      sent.map((s) => s.at),
      [0, 500, 1500, 3500, 7500, 15500, 31500],
    )
    assert.equal(timeouts, 1)
    assert.equal(layer.counts.client, 0)
  })

  test('INVITE: a provisional response stops Timer A', ({ assert }) => {
    const { layer, sent, clock } = setup()
    const req = request('INVITE')
    const seen: number[] = []
    layer.sendRequest(req, UDP, {
      onResponse: (r) => seen.push(r.status),
      onTimeout() {},
      onTransportError() {},
    })
    layer.receiveResponse(response(req, 180))
    clock.advance(10_000)
    assert.lengthOf(sent, 1)
    assert.deepEqual(seen, [180])
  })

  test('INVITE non-2xx: the transaction ACKs, re-ACKs retransmissions and absorbs them (Timer D)', ({
    assert,
  }) => {
    const { layer, sent, clock } = setup()
    const req = request('INVITE')
    const seen: number[] = []
    layer.sendRequest(req, UDP, {
      onResponse: (r) => seen.push(r.status),
      onTimeout() {},
      onTransportError() {},
    })
    layer.receiveResponse(response(req, 486))
    layer.receiveResponse(response(req, 486))
    assert.deepEqual(statuses(sent), ['INVITE', 'ACK', 'ACK'])
    assert.deepEqual(seen, [486], 'the TU sees the final response once')
    const ack = sent[1].message as SipRequest
    assert.equal(ack.headers.find((h) => h.name === 'cseq')?.value, '1 ACK')
    assert.include(ack.headers.find((h) => h.name === 'to')?.value ?? '', 'tag=b1')
    clock.advance(31_999)
    assert.equal(layer.counts.client, 1)
    clock.advance(1)
    assert.equal(layer.counts.client, 0)
  })

  test('non-INVITE over UDP: Timer E caps at T2 and Timer F times out', ({ assert }) => {
    const { layer, sent, clock } = setup()
    let timeouts = 0
    layer.sendRequest(request('OPTIONS'), UDP, {
      onResponse() {},
      onTimeout: () => timeouts++,
      onTransportError() {},
    })
    clock.advance(32_000)
    assert.deepEqual(sent.map((s) => s.at).slice(0, 7), [0, 500, 1500, 3500, 7500, 11500, 15500])
    assert.equal(timeouts, 1)
  })

  test('non-INVITE: final response then Timer K (T4) absorbs retransmissions', ({ assert }) => {
    const { layer, clock } = setup()
    const req = request('OPTIONS')
    const seen: number[] = []
    layer.sendRequest(req, UDP, {
      onResponse: (r) => seen.push(r.status),
      onTimeout() {},
      onTransportError() {},
    })
    layer.receiveResponse(response(req, 200))
    layer.receiveResponse(response(req, 200))
    assert.deepEqual(seen, [200])
    clock.advance(5000)
    assert.equal(layer.counts.client, 0)
  })

  test('over TCP nothing is retransmitted', ({ assert }) => {
    const { layer, sent, clock } = setup()
    layer.sendRequest(request('OPTIONS'), TCP, {
      onResponse() {},
      onTimeout() {},
      onTransportError() {},
    })
    clock.advance(31_000)
    assert.lengthOf(sent, 1)
  })

  test('a transport error is reported and ends the transaction', async ({ assert }) => {
    const clock = new FakeClock()
    const errors: Error[] = []
    const layer = new TransactionLayer({
      clock,
      send: async () => {
        throw new Error('ECONNREFUSED')
      },
      isReliable: () => true,
      onRequest() {},
    })
    layer.sendRequest(request('OPTIONS'), TCP, {
      onResponse() {},
      onTimeout() {},
      onTransportError: (e) => errors.push(e),
    })
    await new Promise((resolve) => setImmediate(resolve))
    assert.lengthOf(errors, 1)
    assert.equal(layer.counts.client, 0)
  })
})

test.group('server transaction bound', () => {
  test('past maxServerTransactions a new request gets a stateless 503 with Retry-After; CANCEL, BYE and ACK still pass', ({
    assert,
  }) => {
    const { layer, sent, received, clock, shed } = setup(new FakeClock(), 2)
    layer.receiveRequest(request('OPTIONS', 'z9hG4bKb1'), UDP, UDP)
    layer.receiveRequest(request('REGISTER', 'z9hG4bKb2'), UDP, UDP)
    assert.lengthOf(received, 2)
    const refused = request('INVITE', 'z9hG4bKb3')
    layer.receiveRequest(refused, UDP, UDP)
    layer.receiveRequest(refused, UDP, UDP)
    assert.lengthOf(received, 2, 'the TU never sees a refused request')
    assert.equal(layer.counts.server, 2, 'and no transaction is kept for it')
    assert.deepEqual(statuses(sent), [503, 503], 'a retransmission is refused again')
    const answer = sent[0].message as SipResponse
    assert.equal(answer.reason, 'Service Unavailable (overloaded)')
    assert.equal(answer.headers.find((h) => h.name === 'retry-after')?.value, '5')
    assert.equal(shed(), 2)

    // Retransmissions of admitted requests are absorbed as usual.
    layer.receiveRequest(request('OPTIONS', 'z9hG4bKb1'), UDP, UDP)
    assert.lengthOf(sent, 2)
    for (const method of ['CANCEL', 'BYE'])
      layer.receiveRequest(request(method, `z9hG4bK${method}`), UDP, UDP)
    assert.deepEqual(
      received.slice(2).map((r) => r.request.method),
      ['CANCEL', 'BYE'],
      'ending what exists is never refused',
    )

    // Once transactions end, new requests are admitted again.
    for (const { request: req, tx } of received) tx.respond(response(req, 200))
    clock.advance(64 * 500)
    assert.equal(layer.counts.server, 0)
    layer.receiveRequest(request('INVITE', 'z9hG4bKb4'), UDP, UDP)
    assert.lengthOf(received, 5)
  })
})
