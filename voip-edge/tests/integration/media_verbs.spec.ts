import { test } from '@japa/runner'
import { createSocket, type Socket } from 'node:dgram'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEdge, type RunningEdge } from '../support/edge_harness.ts'
import { startRtpengine, type RtpengineProcess, freeUdpPort } from '../support/processes.ts'
import { runSipp, type SippRun } from '../support/sipp.ts'
import { TestUac } from '../support/test_uac.ts'
import { CxmlServer } from '../support/cxml_server.ts'
import { HttpCxmlRouter } from '../../src/routing/router.ts'
import { RtpEngine } from '../../src/media/rtpengine.ts'
import { frameLevels, wavDurationMs, wavFile } from '../../src/media/audio.ts'

const SECRET = 'test-signing-secret-0123456789abcdef'
const caller = (dialled: string, ...extra: string[]) =>
  [
    'alice',
    '[authentication username=alice password=alice-secret-1]',
    'acme.pbx.test',
    dialled,
    ...extra,
  ].join(';')

function assertPassed(run: SippRun, assert: { equal(a: unknown, b: unknown, m?: string): void }) {
  assert.equal(run.code, 0, `sipp ${run.scenario} failed:\n${run.output}`)
}

/** Stands in for the caller's RTP port: counts what rtpengine plays to it, with arrival times. */
async function rtpCounter(): Promise<{ port: number; arrivals: number[]; close(): void }> {
  const socket: Socket = createSocket('udp4')
  const arrivals: number[] = []
  socket.on('message', (packet) => {
    if (packet.length >= 12 && packet[0] >> 6 === 2) arrivals.push(Date.now())
  })
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  return { port: socket.address().port, arrivals, close: () => socket.close() }
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

test.group('CXML media verbs on real calls (sipp + rtpengine + espeak-ng)', (group) => {
  let daemon: RtpengineProcess
  let cxml: CxmlServer
  let running: RunningEdge
  let media: RtpEngine
  let bobUac: TestUac
  let work: string
  let cxmlUrl = ''
  let dtmfPort = 0

  group.setup(async () => {
    work = mkdtempSync(join(tmpdir(), 'voip-edge-media-'))
    dtmfPort = await freeUdpPort()
    daemon = await startRtpengine({
      dtmfLogPort: dtmfPort,
      recordingDir: join(work, 'recordings'),
      // The caller's RTP port in these tests is a counting socket, not where sipp sends
      // from: rtpengine must keep sending to the SDP address instead of learning sipp's.
      extraArgs: ['--endpoint-learning=off'],
    })
    cxml = new CxmlServer(SECRET)
    cxmlUrl = await cxml.start()
    media = new RtpEngine({ host: '127.0.0.1', port: daemon.ngPort, timeoutMs: 1000 })
    return async () => {
      media.close()
      await cxml.stop()
      await daemon.stop()
      rmSync(work, { recursive: true, force: true })
    }
  })

  group.each.setup(async () => {
    cxml.calls.length = 0
    cxml.updates.length = 0
    cxml.recordings.length = 0
    cxml.documents.clear()
    cxml.files.clear()
    cxml.fileRequests.length = 0
    cxml.delayMs = 0
    running = await startEdge({
      env: {
        VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
        VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${daemon.ngPort}`,
        VOIP_EDGE_SIP_TRANSPORTS: 'udp',
        VOIP_EDGE_APP_BASE_URL: cxmlUrl,
        VOIP_EDGE_DTMF_LISTEN: `127.0.0.1:${dtmfPort}`,
        VOIP_EDGE_RECORDING_DIR: join(work, 'recordings'),
        VOIP_EDGE_MEDIA_CACHE_DIR: join(work, 'cache'),
        VOIP_EDGE_SESSION_UPDATES: 'on',
      },
      router: new HttpCxmlRouter({ baseUrl: cxmlUrl, signingSecret: SECRET, timeoutMs: 4000 }),
    })
    bobUac = await TestUac.open(running.udpPort)
    return async () => {
      bobUac.close()
      await running.close()
    }
  })

  test('IVR: the caller hears the Say prompt, presses 1 (RFC 2833), Gather posts Digits and the menu dials bob', async ({
    assert,
  }) => {
    const bobPort = await freeUdpPort()
    const registered = await bobUac.register({
      user: 'bob',
      realm: 'acme.pbx.test',
      password: 'bob-secret-2',
      contactPort: bobPort,
    })
    assert.equal(registered.final.status, 200)
    // A long prompt: the digit at 3 s must cut it short (barge-in).
    cxml.document = `<Response>
      <Gather action="menu-choice?menu=7" numDigits="1" timeout="5" minDigits="1">
        <Say>Welcome to Acme. For sales press one. For support press two. For the operator, press zero or stay on the line.</Say>
      </Gather>
      <Say>We did not get your choice. Goodbye.</Say>
    </Response>`
    cxml.documents.set(
      '/api/voice/menu-choice',
      '<Response><Dial timeout="10"><Number>bob</Number></Dial></Response>',
    )
    const counter = await rtpCounter()
    const callee = runSipp({
      scenario: 'uas_answer_expect_200.xml',
      port: 0,
      localPort: bobPort,
      rtpEcho: true,
      timeoutMs: 30_000,
    })
    let digitAt = 0
    const digitWatch = setInterval(() => {
      if (digitAt === 0 && cxml.calls.length >= 2) digitAt = Date.now()
    }, 20)
    const run = await runSipp({
      scenario: 'uac_ivr_dtmf_expect_200.xml',
      port: running.udpPort,
      users: [caller('100', String(counter.port))],
      timeoutMs: 30_000,
    })
    clearInterval(digitWatch)
    counter.close()
    assertPassed(run, assert)
    assertPassed(await callee, assert)

    assert.lengthOf(cxml.calls, 2, 'M1 routing, then the Gather action')
    const action = cxml.calls[1]
    assert.equal(action.path, '/api/voice/menu-choice?menu=7', 'relative to the routing URL')
    assert.isTrue(action.signatureValid, 'the action request is signed')
    assert.equal(action.body.Digits, '1')
    assert.equal(action.body.CallSid, cxml.calls[0].body.CallSid)

    const beforeDigit = counter.arrivals.filter((at) => digitAt === 0 || at < digitAt).length
    // 3 s of listening at 50 packets/s; the scheduler may lose a few under load.
    assert.isAbove(beforeDigit, 60, `prompt RTP reached the caller (${beforeDigit} packets)`)
    assert.isAbove(digitAt, 0, 'the digit reached the app')
    // Barge-in: the prompt (≈ 7 s) stops at the digit; bob echoes nothing (the caller is
    // silent), so at most a few in-flight packets arrive afterwards.
    const afterDigit = counter.arrivals.filter((at) => at > digitAt + 300).length
    assert.isBelow(afterDigit, 10, `the prompt stopped at the digit (${afterDigit} late packets)`)
    await until(() => running.edge.activeCalls() === 0, 10_000, 'the call to end')
  })

  test('Gather collects several digits until finishOnKey (#), which is not part of Digits', async ({
    assert,
  }) => {
    // A long inter-digit timeout: only the # can end the Gather quickly.
    cxml.document = `<Response>
      <Gather action="pin" timeout="10" finishOnKey="#"><Say>Enter your code, then press pound.</Say></Gather>
    </Response>`
    cxml.documents.set('/api/voice/pin', '<Response><Hangup/></Response>')
    const counter = await rtpCounter()
    let actionAt = 0
    const watch = setInterval(() => {
      if (actionAt === 0 && cxml.calls.length >= 2) actionAt = Date.now()
    }, 20)
    const started = Date.now()
    const run = await runSipp({
      scenario: 'uac_ivr_digits_pound_edge_hangs_up_expect_200.xml',
      port: running.udpPort,
      users: [caller('100', String(counter.port))],
      timeoutMs: 30_000,
    })
    clearInterval(watch)
    counter.close()
    assertPassed(run, assert)
    assert.lengthOf(cxml.calls, 2)
    assert.equal(cxml.calls[1].body.Digits, '12')
    // The # is keyed about 3.4 s after the INVITE; a timeout would have taken 10 s more.
    assert.isBelow(actionAt - started, 9000, 'the # ended the Gather, not the timeout')
  })

  test('answer rules: a leading Pause keeps the call unanswered, the Say after it answers', async ({
    assert,
  }) => {
    // The closing Pause keeps the edge's BYE after the scenario's first 2.5 s.
    cxml.document =
      '<Response><Pause length="2"/><Say>Hello.</Say><Pause length="3"/><Hangup/></Response>'
    const counter = await rtpCounter()
    const run = await runSipp({
      scenario: 'uac_call_edge_hangs_up_expect_200.xml',
      port: running.udpPort,
      users: [caller('100', String(counter.port))],
      timeoutMs: 30_000,
    })
    counter.close()
    assertPassed(run, assert)
    await until(
      () => cxml.updates.some((update) => update.body.status === 'connected'),
      5000,
      'the connected session update',
    )
    const connected = cxml.updates.find((update) => update.body.status === 'connected')!
    const { callStartTime, callAnswerTime } = connected.body as Record<string, number>
    // Answered only when the Say ran: the 2 s of Pause stay out of the billable time.
    assert.isAtLeast(callAnswerTime - callStartTime, 1900)
    assert.isAbove(counter.arrivals.length, 10, 'the Say was heard after the answer')
  })

  test('Gather without input runs the next verb; actionOnEmptyResult posts empty Digits; Hangup sends BYE', async ({
    assert,
  }) => {
    cxml.document = `<Response>
      <Gather action="/api/voice/first" timeout="1"><Say>Press nothing.</Say></Gather>
      <Gather action="/api/voice/second" timeout="1" actionOnEmptyResult="true"/>
    </Response>`
    // The Pause keeps the edge's BYE after the scenario's first 2.5 s.
    cxml.documents.set('/api/voice/second', '<Response><Pause length="1"/><Hangup/></Response>')
    const counter = await rtpCounter()
    const run = await runSipp({
      scenario: 'uac_call_edge_hangs_up_expect_200.xml',
      port: running.udpPort,
      users: [caller('100', String(counter.port))],
      timeoutMs: 30_000,
    })
    counter.close()
    assertPassed(run, assert)
    assert.lengthOf(cxml.calls, 2)
    assert.equal(cxml.calls[1].path, '/api/voice/second', 'the first Gather skipped its action')
    assert.strictEqual(cxml.calls[1].body.Digits, '')
    assert.isAbove(counter.arrivals.length, 20, 'the first prompt was heard')
  })

  test('Record ends on silence (timeout): the trailing silence is cut, the action answers and the edge hangs up', async ({
    assert,
  }) => {
    cxml.document = `<Response><Record action="done" timeout="4" playBeep="false" maxLength="30"/></Response>`
    cxml.documents.set('/api/voice/done', '<Response><Say>Thanks.</Say><Hangup/></Response>')
    const counter = await rtpCounter()
    const run = await runSipp({
      scenario: 'uac_call_edge_hangs_up_expect_200.xml',
      port: running.udpPort,
      users: [caller('200', String(counter.port))],
      timeoutMs: 40_000,
    })
    counter.close()
    assertPassed(run, assert)
    assert.lengthOf(cxml.recordings, 1)
    assert.lengthOf(cxml.calls, 2)
    assert.equal(cxml.calls[1].path, '/api/voice/done')
    assert.strictEqual(cxml.calls[1].body.Digits, '', 'not ended by a key or a hang-up')
    const seconds = wavDurationMs(cxml.recordings[0].audio)! / 1000
    assert.closeTo(seconds, 7.08, 1, `recording length ${seconds} s`)
  })

  test('Play (relative URL, cached, loop) and Redirect chains resolve against the current document; unknown verbs and private prompt URLs are skipped', async ({
    assert,
  }) => {
    // 1 s of a 600 Hz tone as the tenant prompt, served by the "app".
    const tone = new Int16Array(8000)
    for (let i = 0; i < tone.length; i++) tone[i] = Math.round(Math.sin(i / 2.1) * 6000)
    cxml.files.set('/files/prompt.wav', { type: 'audio/wav', body: wavFile(tone) })
    cxml.document = '<Response><Redirect>menus/a?step=1</Redirect></Response>'
    cxml.documents.set(
      '/api/voice/menus/a',
      `<Response>
        <Coach>someone</Coach>
        <Play loop="2" answer="true" statusCallback="x" colour="blue">/files/prompt.wav</Play>
        <Play>http://10.255.255.1/never.wav</Play>
        <Play>/files/prompt.wav</Play>
        <Redirect method="GET">b</Redirect>
      </Response>`,
    )
    cxml.documents.set('/api/voice/menus/b', '<Response><Hangup/></Response>')
    const counter = await rtpCounter()
    const run = await runSipp({
      scenario: 'uac_call_edge_hangs_up_expect_200.xml',
      port: running.udpPort,
      users: [caller('300', String(counter.port))],
      timeoutMs: 30_000,
    })
    counter.close()
    assertPassed(run, assert)
    assert.deepEqual(
      cxml.calls.map((call) => call.path.split('?')[0]),
      ['/api/voice/route', '/api/voice/menus/a', '/api/voice/menus/b'],
    )
    assert.include(cxml.calls[2].path, 'CallSid=', 'GET puts the fields in the query')
    assert.lengthOf(cxml.fileRequests, 1, 'the prompt is fetched once and then played from cache')
    // Three plays of 1 s: about 150 packets (the scheduler may lose a few).
    assert.isAbove(counter.arrivals.length, 120, `${counter.arrivals.length} packets`)
    assert.isBelow(counter.arrivals.length, 200)
  })

  test('fallback: unusable CXML → the apology as early media, then 503; an app slower than the budget → the same', async ({
    assert,
  }) => {
    cxml.document = '<Response><Say>unclosed</Response>'
    const counter = await rtpCounter()
    const run = await runSipp({
      scenario: 'uac_call_fallback_expect_503.xml',
      port: running.udpPort,
      users: [caller('400', String(counter.port))],
      timeoutMs: 30_000,
    })
    assertPassed(run, assert)
    assert.isAbove(counter.arrivals.length, 100, 'the apology (≈ 4 s) was heard before the 503')

    cxml.document = '<Response><Hangup/></Response>'
    cxml.delayMs = 8000
    const started = Date.now()
    const slow = await runSipp({
      scenario: 'uac_call_fallback_expect_503.xml',
      port: running.udpPort,
      users: [caller('400', String(counter.port))],
      timeoutMs: 30_000,
    })
    counter.close()
    assertPassed(slow, assert)
    // The router's budget in this group is 4 s: the caller got the apology instead of the Hangup.
    assert.isAbove(Date.now() - started, 4000)
  })

  test('Record stops on its finishOnKey digit; with no audio it is empty: no upload, no action, the next verbs run', async ({
    assert,
  }) => {
    // No silence timeout and a 30 s maximum: only the digit (sent after 2 s) can end it early.
    cxml.document = `<Response>
      <Record action="never" finishOnKey="1" timeout="0" maxLength="30" playBeep="false"/>
      <Say>No message.</Say>
      <Hangup/>
    </Response>`
    const counter = await rtpCounter()
    const started = Date.now()
    const run = await runSipp({
      scenario: 'uac_ivr_digit_edge_hangs_up_expect_200.xml',
      port: running.udpPort,
      users: [caller('200', String(counter.port))],
      timeoutMs: 40_000,
    })
    counter.close()
    assertPassed(run, assert)
    assert.isBelow(Date.now() - started, 20_000, 'ended by the key, not by maxLength')
    assert.lengthOf(cxml.recordings, 0)
    assert.lengthOf(cxml.calls, 1, 'an empty recording calls no action')
    assert.isAbove(counter.arrivals.length, 20, 'the Say after the Record was played')
  })

  test('hold during a prompt: the caller re-INVITEs sendonly, the edge (as the far end) answers recvonly through rtpengine', async ({
    assert,
  }) => {
    cxml.document =
      '<Response><Say>Please hold while we find someone to take your call.</Say><Pause length="5"/></Response>'
    const run = await runSipp({
      scenario: 'uac_call_hold_expect_200.xml',
      port: running.udpPort,
      users: [caller('600')],
      timeoutMs: 30_000,
    })
    assertPassed(run, assert)
    await until(() => running.edge.activeCalls() === 0, 10_000, 'the call to end')
  })

  test('Record stops at maxLength: the recording holds at most that much audio', async ({
    assert,
  }) => {
    // The caller sends audio from 2.5 s after the answer, for 7 s: a 4 s Record started
    // right after a short prompt keeps only its first seconds.
    cxml.document = `<Response>
      <Say>Go.</Say>
      <Record action="done" maxLength="4" timeout="0" playBeep="false" trim="do-not-trim"/>
    </Response>`
    cxml.documents.set('/api/voice/done', '<Response><Hangup/></Response>')
    const counter = await rtpCounter()
    const run = await runSipp({
      scenario: 'uac_call_edge_hangs_up_expect_200.xml',
      port: running.udpPort,
      users: [caller('200', String(counter.port))],
      timeoutMs: 30_000,
    })
    counter.close()
    assertPassed(run, assert)
    assert.lengthOf(cxml.recordings, 1)
    const seconds = wavDurationMs(cxml.recordings[0].audio)! / 1000
    assert.isAbove(seconds, 1)
    assert.isAtMost(seconds, 4.1, `recording length ${seconds} s`)
    assert.strictEqual(cxml.calls[1].body.Digits, '')
  })

  test('voicemail: Say greeting, beep, Record; the caller speaks 7.08 s and hangs up; the WAV is uploaded and the action gets RecordingUrl', async ({
    assert,
  }) => {
    cxml.document = `<Response>
      <Say>Please leave a message after the tone.</Say>
      <Record action="/api/voice/voicemail-complete?extension=5" maxLength="60" timeout="15" finishOnKey="#"/>
      <Say>No message was recorded. Goodbye.</Say>
      <Hangup/>
    </Response>`
    cxml.documents.set(
      '/api/voice/voicemail-complete',
      '<Response><Say>Thank you.</Say><Hangup/></Response>',
    )
    const run = await runSipp({
      scenario: 'uac_voicemail_expect_200.xml',
      port: running.udpPort,
      users: [caller('200')],
      timeoutMs: 40_000,
    })
    assertPassed(run, assert)
    await until(() => cxml.calls.length >= 2, 15_000, 'the Record action')
    assert.lengthOf(cxml.recordings, 1, 'one recording uploaded to the app')
    const upload = cxml.recordings[0]
    assert.isTrue(upload.signatureValid, 'the upload is signed')
    assert.match(upload.path, /organizationId=org-acme/)
    const durationMs = wavDurationMs(upload.audio)
    assert.isNotNull(durationMs)
    // sipp's g711a.pcap holds 7.08 s of audio.
    assert.closeTo(durationMs! / 1000, 7.08, 1, `recording length ${durationMs} ms`)
    assert.equal(upload.audio.readUInt32LE(24), 8000, '8 kHz')
    assert.equal(upload.audio.readUInt16LE(22), 1, 'mono')
    const samples = new Int16Array(
      upload.audio.buffer.slice(
        upload.audio.byteOffset + 44,
        upload.audio.byteOffset + upload.audio.length,
      ),
    )
    const voiced = frameLevels(samples).filter((level) => level > 200).length
    assert.isAbove(voiced, 100, 'the recording carries the caller audio, not silence')

    const action = cxml.calls[1]
    assert.equal(action.path, '/api/voice/voicemail-complete?extension=5')
    assert.equal(action.body.RecordingUrl, upload.url)
    assert.closeTo(Number(action.body.RecordingDuration), 7, 1)
    assert.equal(action.body.Digits, 'hangup')

    // Nothing of the call stays on the edge's disk: rtpengine's capture and the local WAV.
    const callId = encodeURIComponent(String(cxml.calls[0].body.CallSid))
    await until(
      () => !readdirSync(join(work, 'recordings', 'pcaps')).some((name) => name.startsWith(callId)),
      5000,
      'the pcap to be removed',
    )
    assert.notInclude(readdirSync(join(work, 'recordings', 'metadata')).join(' '), callId)
    assert.lengthOf(readdirSync(join(work, 'cache', 'recordings')), 0)
  })
})
