import { test } from '@japa/runner'
import { pino } from 'pino'
import { Writable } from 'node:stream'
import { SipStack } from '../../src/stack/sip_stack.ts'
import { UdpTransport, UDP_RECEIVE_BUFFER_BYTES } from '../../src/transport/udp_transport.ts'
import { readFileSync } from 'node:fs'
import { TcpTransport } from '../../src/transport/tcp_transport.ts'
import { WsTransport } from '../../src/transport/ws_transport.ts'
import { SystemClock } from '../../src/transaction/clock.ts'
import { buildResponse } from '../../src/sip/serializer.ts'
import { DEFAULT_LIMITS } from '../../src/sip/parser.ts'
import { udpExchange, tcpExchange, options } from '../support/raw_sip.ts'
import { connect } from 'node:net'

async function startStack() {
  const udp = new UdpTransport({ host: '127.0.0.1', port: 0 })
  const tcp = new TcpTransport({
    host: '127.0.0.1',
    port: 0,
    maxMessageBytes: DEFAULT_LIMITS.maxMessageBytes,
  })
  const stack = new SipStack({
    transports: [udp, tcp],
    clock: new SystemClock(),
    logger: pino({ level: 'silent' }),
    blockIps: ['127.0.0.66'],
    onRequest: (request, transaction) =>
      transaction.respond(buildResponse(request, 200, { toTag: 'srv' })),
  })
  const bound = await stack.start()
  return { stack, udp, tcp, udpPort: bound.get('udp')!.port, tcpPort: bound.get('tcp')!.port }
}

test.group('transports (real sockets)', (group) => {
  let ctx: Awaited<ReturnType<typeof startStack>>
  group.each.setup(async () => {
    ctx = await startStack()
    return () => ctx.stack.close()
  })

  test('UDP: answers OPTIONS and sends the response to rport', async ({ assert }) => {
    const reply = await udpExchange(options('udp-ok'), ctx.udpPort)
    assert.match(reply ?? '', /^SIP\/2\.0 200 OK\r\n/)
    assert.match(
      reply ?? '',
      /Via: SIP\/2\.0\/UDP 127\.0\.0\.1:9;branch=z9hG4bKudp-ok;rport=\d+;received=127\.0\.0\.1/,
    )
  })

  test('UDP: a duplicate Call-ID gets 400 with the reason, garbage is dropped and counted, and the stack still answers', async ({
    assert,
  }) => {
    const dup = await udpExchange(options('udp-dup', ['i: second@x']), ctx.udpPort)
    assert.match(dup ?? '', /^SIP\/2\.0 400 duplicate call-id header\r\n/)
    const garbage = await udpExchange(
      Buffer.from('\x00\x01\x02 not sip at all\r\n\r\n'),
      ctx.udpPort,
      { timeoutMs: 300 },
    )
    assert.isNull(garbage)
    assert.equal(ctx.udp.stats.dropped, 1)
    assert.equal(ctx.stack.stats.parseErrors, 2)
    const after = await udpExchange(options('udp-after'), ctx.udpPort)
    assert.match(after ?? '', /^SIP\/2\.0 200 OK/)
  })

  test('UDP: the socket asks for a receive queue large enough for bursts', async ({ assert }) => {
    // The kernel grants min(request, net.core.rmem_max) and reports it doubled.
    const cap = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'))
    const defaultQueue = Number(readFileSync('/proc/sys/net/core/rmem_default', 'utf8'))
    const granted = Math.min(UDP_RECEIVE_BUFFER_BYTES, cap)
    assert.isAtLeast(ctx.udp.receiveBufferBytes(), granted)
    if (cap > defaultQueue) assert.isAbove(ctx.udp.receiveBufferBytes(), 2 * defaultQueue)
  })

  test('UDP: an oversized request gets 513', async ({ assert }) => {
    const reply = await udpExchange(
      options('udp-big', [`X-Pad: ${'a'.repeat(20_000)}`]),
      ctx.udpPort,
    )
    assert.match(reply ?? '', /^SIP\/2\.0 513 message too large/)
  })

  test('UDP: the operator block list drops before parsing', async ({ assert }) => {
    const reply = await udpExchange(options('udp-blocked'), ctx.udpPort, {
      timeoutMs: 300,
      localAddress: '127.0.0.66',
    })
    assert.isNull(reply)
    assert.equal(ctx.stack.stats.blocked, 1)
  })

  test('TCP: frames two pipelined requests by Content-Length and answers both on the connection', async ({
    assert,
  }) => {
    const data = options('tcp-1', [], 'abc') + options('tcp-2')
    const { text } = await tcpExchange('\r\n\r\n' + data, ctx.tcpPort, 500)
    assert.lengthOf(text.match(/SIP\/2\.0 200 OK/g) ?? [], 2)
    assert.include(text, 'Call-ID: tcp-1')
    assert.include(text, 'Call-ID: tcp-2')
  })

  test('TCP: a huge Content-Length gets 513 and the connection is closed; new connections still work', async ({
    assert,
  }) => {
    const bad = options('tcp-big').replace('Content-Length: 0', 'Content-Length: 999999')
    const first = await tcpExchange(bad, ctx.tcpPort)
    assert.match(first.text, /^SIP\/2\.0 513 message too large/)
    assert.isTrue(first.closedByServer)
    const second = await tcpExchange(options('tcp-after'), ctx.tcpPort, 500)
    assert.match(second.text, /^SIP\/2\.0 200 OK/)
  })

  test('TCP: endless headers are cut off at the size cap without an answer', async ({ assert }) => {
    const { text, closedByServer } = await tcpExchange(
      `OPTIONS sip:x@y SIP/2.0\r\nX-Pad: ${'b'.repeat(20_000)}`,
      ctx.tcpPort,
    )
    assert.equal(text, '')
    assert.isTrue(closedByServer)
    assert.equal(ctx.tcp.stats.dropped, 1)
  })

  test('SIP message logging can be switched on at runtime and redacts digest responses', async ({
    assert,
  }) => {
    const lines: string[] = []
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString())
        done()
      },
    })
    const udp = new UdpTransport({ host: '127.0.0.1', port: 0 })
    const stack = new SipStack({
      transports: [udp],
      clock: new SystemClock(),
      logger: pino({ level: 'info' }, sink),
      onRequest: (request, transaction) =>
        transaction.respond(buildResponse(request, 200, { toTag: 'srv' })),
    })
    const port = (await stack.start()).get('udp')!.port
    try {
      const secret = 'deadbeefdeadbeefdeadbeefdeadbeef'
      const authorization = `Authorization: Digest username="alice", realm="r", nonce="n", uri="sip:r", response="${secret}", qop=auth, nc=00000001, cnonce="c"`
      await udpExchange(options('log-off', [authorization]), port)
      assert.lengthOf(
        lines.filter((line) => line.includes('sip message')),
        0,
        'off by default',
      )
      stack.setSipMessageLog(true)
      await udpExchange(options('log-on', [authorization]), port)
      const logged = lines.filter((line) => line.includes('sip message'))
      assert.lengthOf(logged, 2, 'the request and the response')
      assert.include(logged[0], 'Call-ID: log-on')
      assert.notInclude(lines.join('\n'), secret)
    } finally {
      await stack.close()
    }
  })

  test('WebSocket (RFC 7118): OPTIONS in one message is answered on the same connection; a client without the sip subprotocol is refused', async ({
    assert,
  }) => {
    const ws = new WsTransport({ host: '127.0.0.1', port: 0, maxMessageBytes: 16_384 })
    const stack = new SipStack({
      transports: [ws],
      clock: new SystemClock(),
      logger: pino({ level: 'silent' }),
      onRequest: (request, transaction) =>
        transaction.respond(buildResponse(request, 200, { toTag: 'srv' })),
    })
    const port = (await stack.start()).get('ws')!.port
    try {
      const socket = new WebSocket(`ws://127.0.0.1:${port}`, 'sip')
      await new Promise((resolve, reject) => {
        socket.onopen = resolve
        socket.onerror = reject
      })
      assert.equal(socket.protocol, 'sip')
      const reply = new Promise<string>(
        (resolve) => (socket.onmessage = (event) => resolve(String(event.data))),
      )
      // No Content-Length: the WebSocket message is the frame.
      socket.send(
        options('ws-1')
          .replace('Via: SIP/2.0/UDP', 'Via: SIP/2.0/WS')
          .replace(/Content-Length: 0\r\n/, ''),
      )
      const text = await reply
      assert.match(text, /^SIP\/2\.0 200 OK\r\n/)
      assert.include(text, 'Call-ID: ws-1')
      socket.close()
      const refused = new WebSocket(`ws://127.0.0.1:${port}`, 'chat')
      const outcome = await new Promise<string>((resolve) => {
        refused.onopen = () => resolve('open')
        refused.onerror = () => resolve('error')
      })
      assert.equal(outcome, 'error')
    } finally {
      await stack.close()
    }
  })

  test('WebSocket: an unmasked or oversized frame closes the connection and is counted', async ({
    assert,
  }) => {
    const ws = new WsTransport({ host: '127.0.0.1', port: 0, maxMessageBytes: 1024 })
    const stack = new SipStack({
      transports: [ws],
      clock: new SystemClock(),
      logger: pino({ level: 'silent' }),
      onRequest: () => undefined,
    })
    const port = (await stack.start()).get('ws')!.port
    const attempt = (frame: Buffer) =>
      new Promise<boolean>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port }, () => {
          socket.write(
            'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: sip\r\n\r\n',
          )
        })
        let upgraded = false
        socket.on('data', (chunk) => {
          if (!upgraded && chunk.toString().startsWith('HTTP/1.1 101')) {
            upgraded = true
            socket.write(frame)
          }
        })
        socket.on('close', () => resolve(upgraded))
        socket.on('error', () => undefined)
        setTimeout(() => socket.destroy(), 2000)
      })
    try {
      const unmasked = Buffer.concat([Buffer.from([0x81, 5]), Buffer.from('hello')])
      assert.isTrue(await attempt(unmasked))
      const huge = Buffer.alloc(14)
      huge[0] = 0x81
      huge[1] = 0x80 | 127
      huge.writeBigUInt64BE(10n ** 12n, 2)
      assert.isTrue(await attempt(huge))
      assert.equal(ws.stats.dropped, 2)
    } finally {
      await stack.close()
    }
  })
})
