import { test } from '@japa/runner'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { REDACTED_PATHS } from '#config/logger'

function capture() {
  const lines: string[] = []
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(chunk.toString())
      done()
    },
  })
  const logger = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, stream)
  return { logger, lines }
}

test.group('Log redaction', () => {
  test('hides passwords, tokens, secrets and Authorization headers', ({ assert }) => {
    const { logger, lines } = capture()
    logger.info(
      {
        password: 'hunter2-secret',
        body: { password: 'pw-in-body-1', token: 'tok-123', apiKey: 'key-1' },
        headers: { authorization: 'Bearer opbx_abc', cookie: 'session=1' },
        req: { headers: { authorization: 'Digest response="abc"' } },
        user: { sipPassword: 'sip-secret-9' },
      },
      'request',
    )
    const line = lines.join('')
    for (const secret of [
      'hunter2-secret',
      'pw-in-body-1',
      'tok-123',
      'key-1',
      'opbx_abc',
      'session=1',
      'Digest',
      'sip-secret-9',
    ]) {
      assert.notInclude(line, secret)
    }
    assert.include(line, '[redacted]')
  })
})
