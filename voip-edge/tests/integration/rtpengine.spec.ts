import { test } from '@japa/runner'
import { startRtpengine, type RtpengineProcess, freeUdpPort } from '../support/processes.ts'
import { RtpEngine } from '../../src/media/rtpengine.ts'
import { MediaCommandError, MediaTimeoutError } from '../../src/media/errors.ts'

function sdp(port: number): string {
  return [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 0 101`,
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:101 telephone-event/8000',
    'a=sendrecv',
    '',
  ].join('\r\n')
}

test.group('rtpengine (real userspace daemon)', (group) => {
  let daemon: RtpengineProcess
  let media: RtpEngine
  group.setup(async () => {
    daemon = await startRtpengine()
    media = new RtpEngine({ host: '127.0.0.1', port: daemon.ngPort, timeoutMs: 1000 })
    return async () => {
      media.close()
      await daemon.stop()
    }
  })

  test('ping answers pong', async () => {
    await media.ping()
  })

  test('offer/answer rewrite the SDP onto rtpengine, delete empties the call list', async ({
    assert,
  }) => {
    const callId = `media-${Date.now()}@test`
    const offered = await media.offer({ callId, fromTag: 'tagA', sdp: sdp(40_000) })
    assert.match(offered.sdp, /c=IN IP4 127\.0\.0\.1/)
    assert.notMatch(offered.sdp, /m=audio 40000 /)
    const answered = await media.answer({
      callId,
      fromTag: 'tagA',
      toTag: 'tagB',
      sdp: sdp(40_002),
    })
    assert.notMatch(answered.sdp, /m=audio 40002 /)
    assert.include(await media.list(), callId)
    const query = await media.query(callId)
    assert.sameMembers(query.tags, ['tagA', 'tagB'])
    await media.delete({ callId })
    assert.notInclude(await media.list(), callId)
    assert.deepEqual(await media.list(), [])
  })

  test('an unknown call-id rejects with a typed command error', async ({ assert }) => {
    try {
      await media.query('no-such-call@test')
      assert.fail('expected a rejection')
    } catch (error) {
      assert.instanceOf(error, MediaCommandError)
      assert.match((error as MediaCommandError).reason, /Unknown call-id/i)
    }
  })

  test('a silent ng peer rejects with a timeout error', async ({ assert }) => {
    const silent = new RtpEngine({ host: '127.0.0.1', port: await freeUdpPort(), timeoutMs: 200 })
    try {
      await silent.ping()
      assert.fail('expected a timeout')
    } catch (error) {
      assert.instanceOf(error, MediaTimeoutError)
    } finally {
      silent.close()
    }
  })
})
