import { test } from '@japa/runner'
import { Writable } from 'node:stream'
import { createLogger, redactSipMessage } from '../../../src/observability/logger.ts'

test.group('logging redaction', () => {
  test('digest responses and cnonces are redacted inside logged SIP messages', ({ assert }) => {
    const text = [
      'REGISTER sip:acme.pbx.test SIP/2.0',
      'Authorization: Digest username="alice", realm="acme.pbx.test", nonce="n1", uri="sip:acme.pbx.test", response="0123456789abcdef0123456789abcdef", cnonce="c1", nc=00000001, qop=auth',
      'proxy-authorization: Digest username="bob", response=abcdef',
      'X-Other: response="kept"',
      '',
    ].join('\r\n')
    const redacted = redactSipMessage(text)
    assert.notInclude(redacted, '0123456789abcdef0123456789abcdef')
    assert.notInclude(redacted, 'response=abcdef')
    assert.include(redacted, 'username="alice"')
    assert.include(redacted, 'X-Other: response="kept"')
  })

  test('structured password and authorization fields never reach the JSON output', ({ assert }) => {
    const lines: string[] = []
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString())
        done()
      },
    })
    const logger = createLogger('info', sink)
    logger.info(
      {
        password: 'hunter2',
        credential: { password: 'p2' },
        headers: { authorization: 'Digest x' },
      },
      'login',
    )
    assert.lengthOf(lines, 1)
    assert.notInclude(lines[0], 'hunter2')
    assert.notInclude(lines[0], 'p2"')
    assert.notInclude(lines[0], 'Digest x')
    assert.include(lines[0], '[redacted]')
  })
})
