import { test } from '@japa/runner'
import { ConfigError, parseConfig } from '../../src/config.ts'

const SECRET = 'x'.repeat(32)

test.group('config', () => {
  test('applies defaults when only the signing secret is set', ({ assert }) => {
    const config = parseConfig({ VOIP_EDGE_SIGNING_SECRET: SECRET })
    assert.equal(config.sipPort, 5060)
    assert.deepEqual(config.transports, ['udp', 'tcp'])
    assert.deepEqual(config.rtpengineNg, { host: '127.0.0.1', port: 22222 })
    assert.isFalse(config.sipMessageLog)
    assert.deepEqual(config.digestAlgorithms, ['SHA-256', 'MD5'])
  })

  test('parses every variable', ({ assert }) => {
    const config = parseConfig({
      VOIP_EDGE_SIGNING_SECRET: SECRET,
      VOIP_EDGE_SIP_HOST: '127.0.0.1',
      VOIP_EDGE_SIP_PORT: '0',
      VOIP_EDGE_SIP_TRANSPORTS: 'tcp',
      VOIP_EDGE_REALM_SUFFIX: '.PBX.test',
      VOIP_EDGE_SIP_MESSAGE_LOG: 'on',
      VOIP_EDGE_ALLOW_IPS: '10.0.0.0/8, 127.0.0.9',
      VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
    })
    assert.equal(config.sipPort, 0)
    assert.deepEqual(config.transports, ['tcp'])
    assert.equal(config.realmSuffix, '.pbx.test')
    assert.isTrue(config.sipMessageLog)
    assert.deepEqual(config.allowIps, ['10.0.0.0/8', '127.0.0.9'])
    assert.deepEqual(config.digestAlgorithms, ['MD5'])
    assert.isNull(config.tls)
  })

  test('TLS needs its certificate and key and defaults to port 5061', ({ assert }) => {
    const config = parseConfig({
      VOIP_EDGE_SIGNING_SECRET: SECRET,
      VOIP_EDGE_SIP_TRANSPORTS: 'udp,tls',
      VOIP_EDGE_TLS_CERT_FILE: '/c.pem',
      VOIP_EDGE_TLS_KEY_FILE: '/k.pem',
    })
    assert.deepEqual(config.tls, { port: 5061, certFile: '/c.pem', keyFile: '/k.pem' })
  })

  const bad: Array<[string, Record<string, string>]> = [
    ['VOIP_EDGE_SIGNING_SECRET', {}],
    ['VOIP_EDGE_SIGNING_SECRET', { VOIP_EDGE_SIGNING_SECRET: 'short' }],
    ['VOIP_EDGE_SIP_PORT', { VOIP_EDGE_SIP_PORT: '70000' }],
    ['VOIP_EDGE_SIP_PORT', { VOIP_EDGE_SIP_PORT: 'abc' }],
    ['VOIP_EDGE_SIP_TRANSPORTS', { VOIP_EDGE_SIP_TRANSPORTS: 'udp,sctp' }],
    ['VOIP_EDGE_RTPENGINE_NG', { VOIP_EDGE_RTPENGINE_NG: 'localhost' }],
    ['VOIP_EDGE_REDIS_URL', { VOIP_EDGE_REDIS_URL: 'http://x' }],
    ['VOIP_EDGE_LOG_LEVEL', { VOIP_EDGE_LOG_LEVEL: 'loud' }],
    ['VOIP_EDGE_SIP_MESSAGE_LOG', { VOIP_EDGE_SIP_MESSAGE_LOG: 'maybe' }],
    ['VOIP_EDGE_BLOCK_IPS', { VOIP_EDGE_BLOCK_IPS: '1.2.3.4/40' }],
    ['VOIP_EDGE_SIP_HOST', { VOIP_EDGE_SIP_HOST: 'example.com' }],
    ['VOIP_EDGE_ROUTER', { VOIP_EDGE_ROUTER: 'kamailio' }],
    ['VOIP_EDGE_TLS_CERT_FILE', { VOIP_EDGE_SIP_TRANSPORTS: 'udp,tls' }],
    ['VOIP_EDGE_CONTROL_PORT', { VOIP_EDGE_CONTROL_PORT: 'x' }],
  ]
  for (const [variable, env] of bad) {
    test(`names ${variable} when it is invalid (${JSON.stringify(env)})`, ({ assert }) => {
      const full =
        variable === 'VOIP_EDGE_SIGNING_SECRET' ? env : { VOIP_EDGE_SIGNING_SECRET: SECRET, ...env }
      try {
        parseConfig(full)
        assert.fail('expected a ConfigError')
      } catch (error) {
        assert.instanceOf(error, ConfigError)
        assert.equal((error as ConfigError).variable, variable)
        assert.include((error as Error).message, variable)
      }
    })
  }
})
