import { test } from '@japa/runner'
import { createSocket, type Socket } from 'node:dgram'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEdge, type RunningEdge } from '../support/edge_harness.ts'
import { startRtpengine, type RtpengineProcess, freeUdpPort } from '../support/processes.ts'
import { runSipp, type SippRun } from '../support/sipp.ts'
import { CxmlServer } from '../support/cxml_server.ts'
import { HttpCxmlRouter } from '../../src/routing/router.ts'
import { RtpEngine } from '../../src/media/rtpengine.ts'
import { decodeInto, encode } from '../../src/conference/g711.ts'
import { parseRtpPacket, RtpSender } from '../../src/conference/rtp.ts'
import { blockPowers, meanBlockPower, tone } from '../support/goertzel.ts'

const SECRET = 'test-signing-secret-0123456789abcdef'
const FREQUENCIES = [440, 770, 1330]

const caller = (user: string, password: string, realm: string, rtpPort: number) =>
  [user, `[authentication username=${user} password=${password}]`, realm, '800', rtpPort].join(';')

function assertPassed(run: SippRun, assert: { equal(a: unknown, b: unknown, m?: string): void }) {
  assert.equal(run.code, 0, `sipp ${run.scenario} failed:\n${run.output}`)
}

async function until(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/**
 * A participant's media end: the port in its SDP. Once the room's first packet arrives it
 * answers with a PCMA tone of its own frequency (20 ms packets) and keeps what it hears.
 */
class Party {
  readonly socket: Socket
  readonly frequency: number | null
  readonly heard: Array<{ at: number; samples: Int16Array }> = []
  firstAt = 0
  #timer: NodeJS.Timeout | null = null
  #sender = new RtpSender(8)
  #sent = 0

  private constructor(socket: Socket, frequency: number | null) {
    this.socket = socket
    this.frequency = frequency
    socket.on('message', (data, from) => {
      const rtp = parseRtpPacket(data)
      if (!rtp || rtp.payloadType !== 8) return
      const samples = new Int16Array(rtp.payload.length)
      decodeInto('PCMA', rtp.payload, samples)
      this.heard.push({ at: Date.now(), samples })
      if (this.firstAt === 0) {
        this.firstAt = Date.now()
        if (this.frequency !== null) this.#speak(from.address, from.port)
      }
    })
  }

  static async open(frequency: number | null): Promise<Party> {
    const socket = createSocket('udp4')
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
    return new Party(socket, frequency)
  }

  get port(): number {
    return this.socket.address().port
  }

  #speak(address: string, port: number): void {
    this.#timer = setInterval(() => {
      const samples = tone(this.frequency!, 160, 8000, this.#sent * 160)
      this.#sent++
      this.socket.send(this.#sender.packet(encode('PCMA', samples)), port, address)
    }, 20)
  }

  /** What arrived between two instants, as one signal. */
  between(from: number, to: number): Int16Array {
    const parts = this.heard.filter((chunk) => chunk.at >= from && chunk.at <= to)
    const out = new Int16Array(parts.reduce((sum, part) => sum + part.samples.length, 0))
    let at = 0
    for (const part of parts) {
      out.set(part.samples, at)
      at += part.samples.length
    }
    return out
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.socket.close()
  }
}

test.group('Conference rooms on real calls (sipp + rtpengine, the edge mixes)', (group) => {
  let daemon: RtpengineProcess
  let cxml: CxmlServer
  let running: RunningEdge
  let media: RtpEngine
  let work: string
  let cxmlUrl = ''

  group.setup(async () => {
    work = mkdtempSync(join(tmpdir(), 'voip-edge-conference-'))
    const dtmfPort = await freeUdpPort()
    daemon = await startRtpengine({
      dtmfLogPort: dtmfPort,
      recordingDir: join(work, 'recordings'),
      // The SDP's port is the test's socket, not where sipp would send from.
      extraArgs: ['--endpoint-learning=off'],
    })
    cxml = new CxmlServer(SECRET)
    cxmlUrl = await cxml.start()
    media = new RtpEngine({ host: '127.0.0.1', port: daemon.ngPort, timeoutMs: 1000 })
    running = await startEdge({
      env: {
        VOIP_EDGE_DIGEST_ALGORITHMS: 'MD5',
        VOIP_EDGE_RTPENGINE_NG: `127.0.0.1:${daemon.ngPort}`,
        VOIP_EDGE_SIP_TRANSPORTS: 'udp',
        VOIP_EDGE_APP_BASE_URL: cxmlUrl,
        VOIP_EDGE_DTMF_LISTEN: `127.0.0.1:${dtmfPort}`,
        VOIP_EDGE_RECORDING_DIR: join(work, 'recordings'),
        VOIP_EDGE_MEDIA_CACHE_DIR: join(work, 'cache'),
      },
      router: new HttpCxmlRouter({ baseUrl: cxmlUrl, signingSecret: SECRET, timeoutMs: 4000 }),
    })
    return async () => {
      await running.close()
      media.close()
      await cxml.stop()
      await daemon.stop()
      rmSync(work, { recursive: true, force: true })
    }
  })

  group.each.setup(() => {
    cxml.calls.length = 0
    cxml.recordings.length = 0
    cxml.documents.clear()
  })

  test('three parties: each hears the other two and not itself; another tenant’s room of the same name stays apart; the room is recorded and everything is released', async ({
    assert,
  }) => {
    cxml.document =
      '<Response><Dial action="after"><Conference beep="false" record="record-from-start" recordingStatusCallback="recorded?room=standup">standup</Conference></Dial></Response>'
    const parties = await Promise.all(FREQUENCIES.map((frequency) => Party.open(frequency)))
    // carol (another tenant) joins a room of the same name and speaks 440 Hz too.
    const outsider = await Party.open(FREQUENCIES[0])
    const runs = [
      ...parties.map((party, i) =>
        runSipp({
          scenario: 'uac_conference_participant_expect_200.xml',
          port: running.udpPort,
          users: [
            caller(
              i === 1 ? 'bob' : 'alice',
              i === 1 ? 'bob-secret-2' : 'alice-secret-1',
              'acme.pbx.test',
              party.port,
            ),
          ],
          timeoutMs: 30_000,
        }),
      ),
      runSipp({
        scenario: 'uac_conference_participant_expect_200.xml',
        port: running.udpPort,
        users: [caller('carol', 'carol-secret-3', 'globex.pbx.test', outsider.port)],
        timeoutMs: 30_000,
      }),
    ]
    try {
      await until(
        () => [...parties, outsider].every((party) => party.firstAt > 0),
        15_000,
        'every participant to get the room audio',
      )
      // Everyone has been talking for a while: listen to a 3 s stretch.
      const from = Math.max(...parties.map((party) => party.firstAt)) + 1500
      await until(() => Date.now() > from + 3000, 10_000, 'the listening window')
      parties.forEach((party, i) => {
        const heard = party.between(from, from + 3000)
        assert.isAbove(heard.length, 8000 * 2, `party ${i} got at least 2 s of audio`)
        const own = meanBlockPower(heard, FREQUENCIES[i])
        for (const [j, frequency] of FREQUENCIES.entries()) {
          if (j === i) continue
          const other = meanBlockPower(heard, frequency)
          // A tone of amplitude 8000 has a normalised power of about 1.6e7.
          assert.isAbove(other, 2e6, `party ${i} hears ${frequency} Hz (power ${other})`)
          assert.isAbove(other, own * 50, `party ${i}: ${frequency} Hz dominates its own tone`)
        }
      })
      const alone = outsider.between(from, from + 3000)
      assert.isAbove(alone.length, 8000 * 2, 'the other tenant’s room sends (silent) audio')
      for (const frequency of FREQUENCIES)
        assert.isBelow(meanBlockPower(alone, frequency), 1e4, `carol hears no ${frequency} Hz`)
    } finally {
      for (const party of [...parties, outsider]) party.close()
    }
    for (const run of await Promise.all(runs)) assertPassed(run, assert)
    await until(() => running.edge.activeCalls() === 0, 10_000, 'every call to end')
    // One recording per room that asked for it: acme's and globex's.
    await until(() => cxml.recordings.length === 2, 10_000, 'the room recordings')
    for (const recording of cxml.recordings) {
      assert.isTrue(recording.signatureValid)
      assert.equal(recording.audio.toString('ascii', 0, 4), 'RIFF')
    }
    const acme = cxml.recordings.find((r) => r.path.includes('organizationId=org-acme'))!
    const mix = new Int16Array(
      acme.audio.buffer.slice(
        acme.audio.byteOffset + 44,
        acme.audio.byteOffset + acme.audio.length,
      ),
    )
    assert.isAbove(mix.length, 8000 * 6, 'the recording spans the meeting')
    for (const frequency of FREQUENCIES)
      assert.isAbove(
        Math.max(...blockPowers(mix, frequency)),
        2e6,
        `the room recording has ${frequency} Hz`,
      )
    // recordingStatusCallback, relative to the document, signed, with the stored URL.
    await until(
      () => cxml.calls.filter((call) => call.path.startsWith('/api/voice/recorded')).length === 2,
      10_000,
      'the recording status callbacks',
    )
    const callbacks = cxml.calls.filter((call) => call.path.startsWith('/api/voice/recorded'))
    for (const callback of callbacks) {
      assert.isTrue(callback.signatureValid)
      assert.equal(callback.path, '/api/voice/recorded?room=standup')
      assert.equal(callback.body.RecordingStatus, 'completed')
      assert.equal(callback.body.ConferenceName, 'standup')
    }
    assert.sameMembers(
      callbacks.map((callback) => callback.body.RecordingUrl),
      cxml.recordings.map((recording) => recording.url),
    )
    assert.deepEqual(await media.list(), [], 'rtpengine holds no session any more')
  }).timeout(90_000)

  test('host semantics: participants wait in silence until the host joins; a muted host is not heard; the host leaving with endConferenceOnExit ends the room and the others continue to the Dial action', async ({
    assert,
  }) => {
    cxml.document =
      '<Response><Dial action="after"><Conference startConferenceOnEnter="false" beep="false">board</Conference></Dial></Response>'
    cxml.documents.set('/api/voice/after', '<Response><Hangup/></Response>')
    const [a, b, host] = await Promise.all(FREQUENCIES.map((frequency) => Party.open(frequency)))
    const waiting = [a, b].map((party, i) =>
      runSipp({
        scenario: 'uac_conference_until_edge_bye_expect_200.xml',
        port: running.udpPort,
        users: [
          i === 0
            ? caller('alice', 'alice-secret-1', 'acme.pbx.test', party.port)
            : caller('bob', 'bob-secret-2', 'acme.pbx.test', party.port),
        ],
        timeoutMs: 40_000,
      }),
    )
    let hosting: Promise<SippRun> | null = null
    try {
      await until(() => a.firstAt > 0 && b.firstAt > 0, 15_000, 'both guests in the room')
      const waitFrom = Math.max(a.firstAt, b.firstAt) + 500
      await until(() => Date.now() > waitFrom + 1500, 10_000, 'the waiting window')
      for (const [party, other] of [
        [a, FREQUENCIES[1]],
        [b, FREQUENCIES[0]],
      ] as const) {
        const heard = party.between(waitFrom, waitFrom + 1500)
        assert.isAbove(heard.length, 8000, 'waiting guests still get (silent) RTP')
        assert.isBelow(meanBlockPower(heard, other), 1e4, 'nobody is heard before the host')
      }
      cxml.document =
        '<Response><Dial><Conference muted="true" endConferenceOnExit="true" beep="false">board</Conference></Dial></Response>'
      hosting = runSipp({
        scenario: 'uac_conference_participant_expect_200.xml',
        port: running.udpPort,
        users: [caller('alice', 'alice-secret-1', 'acme.pbx.test', host.port)],
        timeoutMs: 30_000,
      })
      await until(() => host.firstAt > 0, 15_000, 'the host in the room')
      const from = host.firstAt + 1500
      await until(() => Date.now() > from + 3000, 10_000, 'the listening window')
      const heardByA = a.between(from, from + 3000)
      const heardByB = b.between(from, from + 3000)
      const heardByHost = host.between(from, from + 3000)
      assert.isAbove(meanBlockPower(heardByA, FREQUENCIES[1]), 2e6, 'a hears b once started')
      assert.isAbove(meanBlockPower(heardByB, FREQUENCIES[0]), 2e6, 'b hears a once started')
      assert.isBelow(meanBlockPower(heardByA, FREQUENCIES[2]), 1e4, 'the muted host is not heard')
      assert.isBelow(meanBlockPower(heardByB, FREQUENCIES[2]), 1e4, 'the muted host is not heard')
      assert.isAbove(meanBlockPower(heardByHost, FREQUENCIES[0]), 2e6, 'the muted host hears a')
      assert.isAbove(meanBlockPower(heardByHost, FREQUENCIES[1]), 2e6, 'the muted host hears b')
      // The host hangs up after 10 s: the room ends, a and b go on to the Dial action.
      assertPassed(await hosting, assert)
      for (const run of await Promise.all(waiting)) assertPassed(run, assert)
    } finally {
      for (const party of [a, b, host]) party.close()
      await hosting
    }
    const actions = cxml.calls.filter((call) => call.path.startsWith('/api/voice/after'))
    assert.lengthOf(actions, 2, 'both guests continue to the Dial action')
    for (const action of actions) {
      assert.equal(action.body.DialCallStatus, 'completed')
      assert.equal(action.body.ConferenceName, 'board')
      assert.isAtLeast(Number(action.body.DialCallDuration), 5)
    }
    await until(() => running.edge.activeCalls() === 0, 10_000, 'every call to end')
    assert.deepEqual(await media.list(), [], 'rtpengine holds no session any more')
  }).timeout(90_000)

  test('PIN path as the app’s conference router answers it: Gather the PIN, then the room; the caller’s media moves from the prompt sink to the room', async ({
    assert,
  }) => {
    // The shape of app/services/voice/conference_router.ts askPin() and join().
    cxml.document = `<Response><Gather action="conference-pin?room=5&amp;attempt=0" input="dtmf" finishOnKey="#" timeout="5" actionOnEmptyResult="true"><Say>Please enter the conference PIN, followed by the pound key.</Say></Gather></Response>`
    cxml.documents.set(
      '/api/voice/conference-pin',
      '<Response><Dial action="after"><Conference maxParticipants="10" muted="false" beep="false" holdMusic="true" record="do-not-record" startConferenceOnEnter="true" endConferenceOnExit="false">org1-room5</Conference></Dial></Response>',
    )
    cxml.documents.set('/api/voice/after', '<Response><Hangup/></Response>')
    const [withPin, other] = await Promise.all([Party.open(440), Party.open(770)])
    const pinCaller = runSipp({
      scenario: 'uac_ivr_digits_pound_edge_hangs_up_expect_200.xml',
      port: running.udpPort,
      users: [caller('alice', 'alice-secret-1', 'acme.pbx.test', withPin.port)],
      timeoutMs: 40_000,
    })
    let second: Promise<SippRun> | null = null
    try {
      await until(
        () => cxml.calls.some((call) => call.path.startsWith('/api/voice/conference-pin')),
        20_000,
        'the PIN to reach the app',
      )
      const pin = cxml.calls.find((call) => call.path.startsWith('/api/voice/conference-pin'))!
      assert.equal(pin.body.Digits, '12')
      cxml.document =
        '<Response><Dial><Conference endConferenceOnExit="true" beep="false">org1-room5</Conference></Dial></Response>'
      second = runSipp({
        scenario: 'uac_conference_participant_expect_200.xml',
        port: running.udpPort,
        users: [caller('bob', 'bob-secret-2', 'acme.pbx.test', other.port)],
        timeoutMs: 30_000,
      })
      await until(() => other.firstAt > 0, 15_000, 'the second participant in the room')
      const from = other.firstAt + 1500
      await until(() => Date.now() > from + 3000, 10_000, 'the listening window')
      assert.isAbove(
        meanBlockPower(withPin.between(from, from + 3000), 770),
        2e6,
        'the PIN caller hears the other participant',
      )
      assert.isAbove(
        meanBlockPower(other.between(from, from + 3000), 440),
        2e6,
        'the other participant hears the PIN caller',
      )
      assertPassed(await second, assert)
      assertPassed(await pinCaller, assert)
    } finally {
      withPin.close()
      other.close()
      await second
    }
    const after = cxml.calls.filter((call) => call.path.startsWith('/api/voice/after'))
    assert.lengthOf(after, 1, 'the PIN caller continued to its Dial action when the room ended')
    assert.equal(after[0].body.DialCallStatus, 'completed')
    await until(() => running.edge.activeCalls() === 0, 10_000, 'every call to end')
    assert.deepEqual(await media.list(), [], 'rtpengine holds no session any more')
  }).timeout(90_000)

  test('hold and resume inside a room: the re-INVITEs are re-offered to the room’s socket, so after the resume both sides hear each other again', async ({
    assert,
  }) => {
    cxml.document =
      '<Response><Dial><Conference beep="false">hold-room</Conference></Dial></Response>'
    const [holder, other] = await Promise.all([Party.open(440), Party.open(770)])
    const staying = runSipp({
      scenario: 'uac_conference_participant_expect_200.xml',
      port: running.udpPort,
      users: [caller('bob', 'bob-secret-2', 'acme.pbx.test', other.port)],
      timeoutMs: 30_000,
    })
    let holding: Promise<SippRun> | null = null
    try {
      await until(() => other.firstAt > 0, 15_000, 'the first participant in the room')
      holding = runSipp({
        scenario: 'uac_conference_hold_resume_expect_200.xml',
        port: running.udpPort,
        users: [caller('alice', 'alice-secret-1', 'acme.pbx.test', holder.port)],
        timeoutMs: 30_000,
      })
      await until(() => holder.firstAt > 0, 15_000, 'the holder in the room')
      // Hold and resume are done within about a second of the answer.
      const from = holder.firstAt + 2500
      await until(() => Date.now() > from + 3000, 10_000, 'the listening window')
      assert.isAbove(
        meanBlockPower(other.between(from, from + 3000), 440),
        2e6,
        'the other participant hears the holder after the resume',
      )
      assert.isAbove(
        meanBlockPower(holder.between(from, from + 3000), 770),
        2e6,
        'the holder hears the room after the resume',
      )
      assertPassed(await holding, assert)
      assertPassed(await staying, assert)
    } finally {
      holder.close()
      other.close()
      await holding
    }
    await until(() => running.edge.activeCalls() === 0, 10_000, 'every call to end')
    assert.deepEqual(await media.list(), [], 'rtpengine holds no session any more')
  }).timeout(90_000)

  test('maxParticipants: the caller over the limit hears an apology and the Dial action reports failed', async ({
    assert,
  }) => {
    cxml.document =
      '<Response><Dial action="after"><Conference maxParticipants="2">small</Conference></Dial></Response>'
    cxml.documents.set('/api/voice/after', '<Response><Hangup/></Response>')
    const parties = await Promise.all([Party.open(440), Party.open(770), Party.open(null)])
    const member = (party: Party) =>
      runSipp({
        scenario: 'uac_conference_participant_expect_200.xml',
        port: running.udpPort,
        users: [caller('alice', 'alice-secret-1', 'acme.pbx.test', party.port)],
        timeoutMs: 30_000,
      })
    const members = [member(parties[0])]
    try {
      // The second joins well after the first one's own join chime is over.
      await until(() => parties[0].firstAt > 0, 15_000, 'the first participant in the room')
      await until(() => Date.now() > parties[0].firstAt + 1500, 5000, 'a pause')
      members.push(member(parties[1]))
      await until(
        () => parties[0].firstAt > 0 && parties[1].firstAt > 0,
        15_000,
        'two participants in the room',
      )
      const refused = await runSipp({
        scenario: 'uac_call_edge_hangs_up_expect_200.xml',
        port: running.udpPort,
        users: [caller('bob', 'bob-secret-2', 'acme.pbx.test', parties[2].port)],
        timeoutMs: 30_000,
      })
      assertPassed(refused, assert)
      const action = cxml.calls.find((call) => call.path.startsWith('/api/voice/after'))
      assert.exists(action, 'the refused caller’s Dial action was posted')
      assert.equal(action!.body.DialCallStatus, 'failed')
      assert.equal(action!.body.ConferenceName, 'small')
      // The apology was spoken to the refused caller (rtpengine plays it to the SDP port).
      assert.isAbove(parties[2].heard.length, 50, 'the apology reached the refused caller')
      // beep (default true): the first participant heard the second one's rising chime
      // (660 Hz, then 990 Hz) when it joined, and not later.
      const joined = parties[1].firstAt
      const chimeWindow = parties[0].between(joined - 300, joined + 1200)
      const later = parties[0].between(joined + 2500, joined + 4500)
      const chimePeak = Math.max(...blockPowers(chimeWindow, 660, 800))
      const laterPeak = Math.max(...blockPowers(later, 660, 800))
      assert.isAbove(chimePeak, 1e6, `the join chime was heard (660 Hz power ${chimePeak})`)
      assert.isAbove(chimePeak, laterPeak * 20, 'the chime is a short event')
    } finally {
      for (const party of parties) party.close()
    }
    for (const run of await Promise.all(members)) assertPassed(run, assert)
    await until(() => running.edge.activeCalls() === 0, 10_000, 'every call to end')
    // The two members hung up without a Dial action of their own (their calls were over).
    assert.lengthOf(
      cxml.calls.filter((call) => call.path.startsWith('/api/voice/after')),
      1,
    )
    assert.deepEqual(await media.list(), [], 'rtpengine holds no session any more')
  }).timeout(90_000)
})
