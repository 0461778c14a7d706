import { test } from '@japa/runner'
import { cxml, renderCxml } from '#services/voice/cxml'
import { parseXml } from '../../voip-edge/src/routing/cxml.js'

test.group('CXML rendering', () => {
  test('renders verbs, nouns and attributes the edge parser reads back', ({ assert }) => {
    const xml = renderCxml(
      cxml.response(
        cxml.say('Connecting you', { language: 'en-US' }),
        cxml.dial(
          { action: '/api/voice/dial-result?stage=1&x=2', timeout: 25, callerId: '+15551230000' },
          cxml.number('1004'),
          cxml.sip('sip:1005@acme.pbx.localhost'),
        ),
        cxml.hangup(),
      ),
    )
    assert.isTrue(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Response>'))
    const root = parseXml(xml)
    assert.equal(root.name, 'Response')
    assert.deepEqual(
      root.children.map((c) => c.name),
      ['Say', 'Dial', 'Hangup'],
    )
    const dial = root.children[1]
    assert.equal(dial.attributes.action, '/api/voice/dial-result?stage=1&x=2')
    assert.equal(dial.attributes.timeout, '25')
    assert.deepEqual(
      dial.children.map((c) => [c.name, c.text]),
      [
        ['Number', '1004'],
        ['Sip', 'sip:1005@acme.pbx.localhost'],
      ],
    )
  })

  test('hostile caller names and entities stay text', ({ assert }) => {
    const hostile = `Eve</Dial><Dial><Number>+19005550100</Number></Dial><!ENTITY x SYSTEM "file:///etc/passwd">&x;"'`
    const xml = renderCxml(
      cxml.response(cxml.dial({ callerName: hostile }, cxml.number('1004')), cxml.say(hostile)),
    )
    assert.notInclude(xml, '<!ENTITY')
    assert.notInclude(xml, '</Dial><Dial>')
    const root = parseXml(xml)
    assert.lengthOf(root.children, 2)
    assert.equal(root.children[0].attributes.callerName, hostile)
    assert.lengthOf(root.children[0].children, 1)
    assert.equal(root.children[1].text, hostile)
  })

  test('control characters that XML cannot carry are dropped', ({ assert }) => {
    const xml = renderCxml(cxml.response(cxml.say('bell\u0007 and nul\u0000 gone, tab\tkept')))
    assert.include(xml, '<Say>bell and nul gone, tab\tkept</Say>')
  })
})
