import { test } from '@japa/runner'
import { parseCxml, parseXml, CxmlError, rejectStatus } from '../../../src/routing/cxml.ts'
import { signEdgeRequest } from '../../../src/routing/router.ts'
import { DirectDialRouter } from '../../../src/routing/direct_router.ts'

test.group('CXML', () => {
  test('parses Dial with parallel Number and Sip nouns, timeout and action', ({ assert }) => {
    const verbs = parseCxml(`<?xml version="1.0" encoding="UTF-8"?>
      <Response>
        <!-- ring both -->
        <Dial timeout="20" action="/api/voice/after?x=1&amp;y=2"><Number>1001</Number><Sip>sip:1002@acme.pbx.test</Sip></Dial>
        <Hangup/>
      </Response>`)
    assert.deepEqual(verbs, [
      {
        verb: 'Dial',
        timeoutSec: 20,
        action: '/api/voice/after?x=1&y=2',
        method: 'POST',
        conference: null,
        record: false,
        targets: [
          { kind: 'number', number: '1001' },
          { kind: 'sip', uri: 'sip:1002@acme.pbx.test' },
        ],
      },
      { verb: 'Hangup' },
    ])
  })

  test('a bare Dial text is one Number; missing timeout falls back to the default', ({
    assert,
  }) => {
    assert.deepEqual(parseCxml('<Response><Dial>1002</Dial></Response>', 45), [
      {
        verb: 'Dial',
        timeoutSec: 45,
        action: null,
        method: 'POST',
        conference: null,
        record: false,
        targets: [{ kind: 'number', number: '1002' }],
      },
    ])
  })

  test('Dial with a Conference noun joins a room instead of ringing targets', ({ assert }) => {
    const [dial] = parseCxml(
      '<Response><Dial action="after"><Conference muted="true" maxParticipants="5">sales</Conference></Dial></Response>',
    )
    assert.equal(dial.verb, 'Dial')
    if (dial.verb !== 'Dial') return
    assert.deepEqual(dial.targets, [])
    assert.include(dial.conference!, { name: 'sales', muted: true, maxParticipants: 5 })
    assert.equal(dial.action, 'after')
  })

  test('Reject reasons map to SIP statuses and unknown verbs are kept as Unsupported', ({
    assert,
  }) => {
    const verbs = parseCxml(
      "<Response><Pause length='2'/><Reject reason='busy'/><Coach>token</Coach><Redirect method='GET'>/next</Redirect></Response>",
    )
    assert.deepEqual(verbs, [
      { verb: 'Pause', lengthSec: 2 },
      { verb: 'Reject', reason: 'busy' },
      { verb: 'Unsupported', name: 'Coach' },
      { verb: 'Redirect', url: '/next', method: 'GET' },
    ])
    assert.equal(rejectStatus('busy'), 486)
    assert.equal(rejectStatus('rejected'), 603)
  })

  test('refuses DTDs/entities, wrong roots and broken markup', ({ assert }) => {
    assert.throws(() => parseXml('<!DOCTYPE r [<!ENTITY a "b">]><Response/>'), CxmlError)
    assert.throws(
      () => parseCxml('<Document><Hangup/></Document>'),
      /root element must be <Response>/,
    )
    assert.throws(() => parseXml('<Response><Dial></Response>'), CxmlError)
    assert.throws(() => parseXml('<Response><Hangup/></Response><Extra/>'), CxmlError)
    assert.throws(() => parseXml('<Response>a < b</Response>'), CxmlError)
    assert.throws(() => parseXml(`<Response>${'x'.repeat(70_000)}</Response>`), /too large/)
  })

  test('edge request signature covers timestamp, id, method, path and body', ({ assert }) => {
    const a = signEdgeRequest('secret', 1700000000, 'id-1', 'POST', '/api/voice/route', '{"a":1}')
    assert.match(a, /^[0-9a-f]{64}$/)
    assert.notEqual(
      a,
      signEdgeRequest('secret', 1700000001, 'id-1', 'POST', '/api/voice/route', '{"a":1}'),
    )
    assert.notEqual(
      a,
      signEdgeRequest('secret', 1700000000, 'id-1', 'POST', '/api/voice/route', '{"a":2}'),
    )
    assert.notEqual(
      a,
      signEdgeRequest('secret', 1700000000, 'id-2', 'POST', '/api/voice/route', '{"a":1}'),
    )
  })

  test('the direct (demo) router dials the called extension and escapes it', async ({ assert }) => {
    const cxml = await new DirectDialRouter(15).route({
      organizationId: 'o',
      callId: 'c',
      domain: 'd',
      from: '1001',
      to: '1002<x>',
      callerName: null,
      direction: 'subscriber',
    })
    assert.deepEqual(parseCxml(cxml), [
      {
        verb: 'Dial',
        timeoutSec: 15,
        action: null,
        method: 'POST',
        conference: null,
        record: false,
        targets: [{ kind: 'number', number: '1002x' }],
      },
    ])
  })
})
