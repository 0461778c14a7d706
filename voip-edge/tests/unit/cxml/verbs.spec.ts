import { test } from '@japa/runner'
import { parseCxml } from '../../../src/routing/cxml.ts'
import { sinkSdp } from '../../../src/cxml/call_media.ts'

test.group('CXML media verbs', () => {
  test('Gather with nested prompts, Cloudonix defaults and OPBX extras reported as ignored', ({
    assert,
  }) => {
    const [gather] = parseCxml(`<Response>
      <Gather action="/api/voice/ivr-input?menu_id=3" numDigits="1" minDigits="1" maxDigits="1" timeout="4">
        <Say voice="man" language="en-GB">Press <emphasis>one</emphasis> for sales.</Say>
        <Play loop="2">https://cdn.example/menu.wav</Play>
        <Pause length="2"/>
        <Dial>1001</Dial>
      </Gather></Response>`)
    assert.deepEqual(gather, {
      verb: 'Gather',
      action: '/api/voice/ivr-input?menu_id=3',
      method: 'POST',
      numDigits: 1,
      finishOnKey: '#',
      timeoutSec: 4,
      firstDigitTimeoutSec: 4,
      actionOnEmptyResult: false,
      interruptible: true,
      prompts: [
        {
          verb: 'Say',
          text: 'Press for sales. one',
          voice: 'man',
          language: 'en-GB',
          loop: 1,
          answer: true,
          ignored: [],
        },
        { verb: 'Play', url: 'https://cdn.example/menu.wav', loop: 2, answer: true, ignored: [] },
        { verb: 'Pause', lengthSec: 2 },
      ],
      ignored: ['minDigits', 'maxDigits', 'Dial'],
    })
  })

  test('Record defaults (contract §2.3) and clamping; Say loop=0 is capped, answer=false kept', ({
    assert,
  }) => {
    const verbs = parseCxml(`<Response>
      <Record/>
      <Record action="done" method="GET" timeout="0" maxLength="999999" playBeep="false" trim="do-not-trim" finishOnKey="#"/>
      <Say loop="0" answer="false">hi</Say>
      <Gather actionOnEmptyResult="true" maxTimeout="20" finishOnKey="" timeout="-3"/>
    </Response>`)
    assert.deepInclude(verbs[0], {
      verb: 'Record',
      action: null,
      method: 'POST',
      timeoutSec: 5,
      finishOnKey: '1234567890*#',
      maxLengthSec: 3600,
      playBeep: true,
      trimSilence: true,
    })
    assert.deepInclude(verbs[1], {
      action: 'done',
      method: 'GET',
      timeoutSec: 0,
      maxLengthSec: 14_400,
      playBeep: false,
      trimSilence: false,
      finishOnKey: '#',
    })
    assert.deepInclude(verbs[2], { verb: 'Say', loop: 100, answer: false, text: 'hi' })
    assert.deepInclude(verbs[3], {
      verb: 'Gather',
      actionOnEmptyResult: true,
      firstDigitTimeoutSec: 20,
      timeoutSec: 1,
      finishOnKey: '',
    })
  })

  test('the sink SDP keeps the codecs, points rtpengine at the discard address and mirrors the direction', ({
    assert,
  }) => {
    const offer = [
      'v=0',
      'o=- 1 1 IN IP4 10.0.0.5',
      's=-',
      'c=IN IP4 10.0.0.5',
      't=0 0',
      'm=audio 30000 RTP/AVP 8 101',
      'a=rtpmap:8 PCMA/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=sendrecv',
      'a=rtcp:30001',
      '',
    ].join('\r\n')
    const sdp = sinkSdp(offer, { address: '127.0.0.1', port: 9 })
    assert.include(sdp, 'c=IN IP4 127.0.0.1\r\n')
    assert.include(sdp, 'm=audio 9 RTP/AVP 8 101\r\n')
    assert.include(sdp, 'a=rtpmap:101 telephone-event/8000\r\n')
    assert.include(sdp, 'a=rtcp:10\r\n')
    assert.notInclude(sdp, '30000')
    assert.include(sdp, 'a=sendrecv\r\n')
    const held = sinkSdp(offer.replace('a=sendrecv', 'a=sendonly'), {
      address: '127.0.0.1',
      port: 9,
    })
    assert.include(held, 'a=recvonly\r\n', 'the sink answers a hold with recvonly')
  })
})
