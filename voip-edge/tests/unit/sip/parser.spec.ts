import { test } from '@japa/runner'
import { parseMessage, SipParseError, DEFAULT_LIMITS } from '../../../src/sip/parser.ts'
import { getHeader, getHeaders, splitList, type SipRequest } from '../../../src/sip/message.ts'
import { serialize, buildResponse } from '../../../src/sip/serializer.ts'
import { parseNameAddr, parseUri, formatUri } from '../../../src/sip/uri.ts'
import { parseVia, stampReceived, responseTarget, formatVia } from '../../../src/sip/via.ts'
import { VALID, INVALID } from '../../fixtures/torture.ts'

function expectParseError(input: string | Buffer, pattern: RegExp, status = 400): SipParseError {
  try {
    parseMessage(typeof input === 'string' ? Buffer.from(input, 'utf8') : input)
  } catch (error) {
    if (!(error instanceof SipParseError)) throw error
    if (!pattern.test(error.message))
      throw new Error(`reason "${error.message}" does not match ${pattern}`)
    if (error.status !== status) throw new Error(`status ${error.status}, expected ${status}`)
    return error
  }
  throw new Error('expected a SipParseError')
}

test.group('sip parser: RFC 4475 valid messages', () => {
  for (const [name, text] of Object.entries(VALID)) {
    test(`parses ${name}`, ({ assert }) => {
      const message = parseMessage(Buffer.from(text, 'utf8'))
      assert.isAbove(message.headers.length, 3)
      assert.isString(getHeader(message, 'call-id'))
    })
  }

  test('wsinv: unfolds headers, expands compact forms and reads Vias across lines', ({
    assert,
  }) => {
    const message = parseMessage(Buffer.from(VALID.wsinv, 'utf8')) as SipRequest
    assert.equal(message.method, 'INVITE')
    assert.equal(getHeader(message, 'cseq'), '0009 INVITE')
    const vias = getHeaders(message, 'via').flatMap(splitList).map(parseVia)
    assert.lengthOf(vias, 3)
    assert.equal(vias[1].transport, 'TCP')
    assert.equal(vias[2].params.get('branch'), 'z9hG4bK30239')
    assert.equal(parseNameAddr(getHeader(message, 'to')!).params.get('tag'), '1918181833n')
    assert.equal(parseNameAddr(getHeader(message, 'from')!).displayName, 'J Rosenberg \\"')
    assert.equal(parseNameAddr(getHeader(message, 'm')!).params.get('q'), '0.33')
    assert.equal(message.body.length, 150)
  })

  test('esc01: keeps escapes in the URI and exposes them to the caller', ({ assert }) => {
    const message = parseMessage(Buffer.from(VALID.esc01)) as SipRequest
    const uri = parseUri(message.uri)
    assert.equal(uri.user, 'sips%3Auser%40example.com')
    assert.equal(uri.host, 'example.net')
    assert.equal(getHeader(message, 'content-type'), 'application/sdp')
  })

  test('noreason: accepts an empty reason phrase', ({ assert }) => {
    const message = parseMessage(Buffer.from(VALID.noreason))
    assert.equal(message.kind === 'response' && message.status, 100)
  })
})

test.group('sip parser: RFC 4475 invalid messages', () => {
  for (const [name, { message, reason, status }] of Object.entries(INVALID)) {
    test(`rejects ${name} with reason ${reason}`, () => {
      expectParseError(message, reason, status ?? 400)
    })
  }

  test('a rejected request keeps enough of itself to answer 400', ({ assert }) => {
    const error = expectParseError(INVALID.mcl01.message, /duplicate/)
    assert.isNotNull(error.partial)
    const response = buildResponse(error.partial!, 400, { reason: error.message, toTag: 'x1' })
    const text = serialize(response).toString()
    assert.match(text, /^SIP\/2\.0 400 duplicate content-length header\r\n/)
    assert.include(text, 'Via: SIP/2.0/UDP host5.example.net;branch=z9hG4bK293423')
    assert.include(text, 'Call-ID: mcl01.fhn2323orihawfdoa3o4r52o3irsdf')
    assert.include(text, 'To: <sip:user@example.com>;tag=x1')
  })
})

test.group('sip parser: limits', () => {
  const base = [
    'OPTIONS sip:a@example.com SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bKlimit',
    'From: <sip:b@example.com>;tag=1',
    'To: <sip:a@example.com>',
    'Call-ID: limit@example.com',
    'CSeq: 1 OPTIONS',
  ]

  test('rejects a message above the size cap with 513', () => {
    const big = [
      ...base,
      `X-Pad: ${'a'.repeat(DEFAULT_LIMITS.maxMessageBytes)}`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n')
    expectParseError(big, /too large/, 513)
  })

  test('rejects too many headers', () => {
    const many = [
      ...base,
      ...Array.from({ length: 120 }, (_, i) => `X-H${i}: v`),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n')
    expectParseError(many, /too many headers/)
  })

  test('rejects too many Via entries, even when packed in one header', () => {
    const vias = Array.from(
      { length: 25 },
      (_, i) => `SIP/2.0/UDP 192.0.2.${i};branch=z9hG4bK${i}`,
    ).join(', ')
    const text = [...base, `Via: ${vias}`, 'Content-Length: 0', '', ''].join('\r\n')
    expectParseError(text, /too many Via/)
  })

  test('rejects garbage without a partial request', ({ assert }) => {
    const error = expectParseError(
      Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x0d, 0x0a, 0x0d, 0x0a]),
      /malformed start line/,
    )
    assert.isNull(error.partial)
  })

  test('rejects a bare CR hidden in a folded header (header injection on relay)', () => {
    const text = [
      ...base,
      'Subject: hello',
      ' world\rX-Injected: 1',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n')
    expectParseError(text, /bare CR/)
  })

  test('requires Content-Length on stream transports', ({ assert }) => {
    const text = [...base, '', ''].join('\r\n')
    assert.throws(
      () => parseMessage(Buffer.from(text), DEFAULT_LIMITS, false),
      /Content-Length required/,
    )
  })

  test('discards datagram bytes beyond Content-Length', ({ assert }) => {
    const text = [...base, 'Content-Length: 4', '', 'bodyEXTRA'].join('\r\n')
    assert.equal(parseMessage(Buffer.from(text)).body.toString(), 'body')
  })
})

test.group('sip uri, name-addr and Via', () => {
  test('parses a full SIP URI and formats it back', ({ assert }) => {
    const uri = parseUri('sips:alice:secret@Atlanta.example.com:5061;transport=tls;lr?subject=x')
    assert.equal(uri.scheme, 'sips')
    assert.equal(uri.user, 'alice')
    assert.equal(uri.password, 'secret')
    assert.equal(uri.host, 'atlanta.example.com')
    assert.equal(uri.port, 5061)
    assert.isNull(uri.params.get('lr'))
    assert.equal(uri.headers, 'subject=x')
    assert.equal(
      formatUri(uri),
      'sips:alice:secret@atlanta.example.com:5061;transport=tls;lr?subject=x',
    )
  })

  test('parses IPv6 hosts', ({ assert }) => {
    const uri = parseUri('sip:bob@[2001:db8::10]:5070')
    assert.equal(uri.host, '[2001:db8::10]')
    assert.equal(uri.port, 5070)
  })

  test('rejects bad ports and hosts', ({ assert }) => {
    assert.throws(() => parseUri('sip:bob@example.com:99999'), /bad port/)
    assert.throws(() => parseUri('sip:bob@exa_mple.com'), /bad host/)
    assert.throws(() => parseUri('http://example.com'), /unsupported URI scheme/)
  })

  test('addr-spec parameters belong to the header, not the URI', ({ assert }) => {
    const entry = parseNameAddr('sip:alice@example.com;tag=abc')
    assert.equal(entry.params.get('tag'), 'abc')
    assert.equal(entry.uri.params.size, 0)
  })

  test('stamps received and rport from the source address', ({ assert }) => {
    const via = parseVia('SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKabc;rport')
    const stamped = stampReceived(via, '203.0.113.9', 40123)
    assert.equal(stamped.params.get('received'), '203.0.113.9')
    assert.equal(stamped.params.get('rport'), '40123')
    assert.deepEqual(responseTarget(stamped), { host: '203.0.113.9', port: 40123 })
    assert.equal(
      formatVia(stamped),
      'SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKabc;rport=40123;received=203.0.113.9',
    )
  })

  test('without rport, responses go to received and the Via port', ({ assert }) => {
    const stamped = stampReceived(
      parseVia('SIP/2.0/UDP pc33.example.com:5066;branch=z9hG4bKx'),
      '192.0.2.4',
      9999,
    )
    assert.deepEqual(responseTarget(stamped), { host: '192.0.2.4', port: 5066 })
  })
})

test.group('sip serializer', () => {
  test('round-trips a parsed request with long header names and a fresh Content-Length', ({
    assert,
  }) => {
    const message = parseMessage(Buffer.from(VALID.lwsdisp)) as SipRequest
    message.body = Buffer.from('hello')
    const text = serialize(message).toString()
    assert.include(text, 'Content-Length: 5\r\n\r\nhello')
    assert.include(text, 'Call-ID: lwsdisp.1234abcd@funky.example.com')
    const again = parseMessage(Buffer.from(text)) as SipRequest
    assert.equal(again.method, 'OPTIONS')
    assert.equal(again.body.toString(), 'hello')
  })
})
