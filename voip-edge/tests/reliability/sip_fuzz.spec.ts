import { test } from '@japa/runner'
import { fuzz } from './support/sip_fuzzer.ts'
import { startEdgeProcess } from './support/edge_process.ts'
import { TestUac, header } from '../support/test_uac.ts'
import type { SipResponse } from '../../src/sip/message.ts'

/*
 * R3 (CI size) and R4 against a real voip-edge process over UDP and TCP. The fuzz run is
 * 10,000 mutated messages here (RELIABILITY_FUZZ_COUNT changes it; `npm run reliability`
 * sends 100,000); RELIABILITY_SEED replays a run. Pass: the process never exits, OPTIONS is
 * answered after every 1,000 messages and at the end over UDP and TCP, RSS stays bounded,
 * and nothing unhandled reaches its output.
 */

const COUNT = Number(process.env.RELIABILITY_FUZZ_COUNT ?? 10_000)
/* A Node process's RSS moves with its heap; a leak per message would exceed this by far. */
const RSS_GROWTH_LIMIT_MB = 150

test.group('Reliability R3: SIP mutation fuzzing of a running edge', () => {
  test(`${COUNT} mutated messages over UDP and TCP: alive, answering, bounded memory`, async ({
    assert,
    cleanup,
  }) => {
    const edge = await startEdgeProcess()
    cleanup(async () => void (await edge.stop()))
    const seed = Number(process.env.RELIABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31))
    console.log(`SIP fuzz: seed ${seed} (RELIABILITY_SEED=${seed} replays it)`)
    const report = await fuzz(edge, { count: COUNT, seed })
    console.log(
      `SIP fuzz: ${report.sent.udp} UDP + ${report.sent.tcp} TCP messages in ${report.seconds} s, ` +
        `replies ${JSON.stringify(report.replies)}, ${report.probes} OPTIONS probes ` +
        `(${report.failedProbes} unanswered), RSS ${report.rssBaselineMb} → peak ` +
        `${report.rssPeakMb} → ${report.rssFinalMb} MB`,
    )
    assert.isTrue(report.alive, `edge process died (seed ${seed}):\n${edge.output().slice(-4000)}`)
    assert.equal(report.failedProbes, 0, `OPTIONS unanswered during the run (seed ${seed})`)
    assert.isTrue(report.finalOptionsUdp, 'OPTIONS over UDP answered after the run')
    assert.isTrue(report.finalOptionsTcp, 'OPTIONS over TCP answered after the run')
    assert.isAtMost(report.rssPeakMb - report.rssBaselineMb, RSS_GROWTH_LIMIT_MB)
    assert.notMatch(edge.output(), /uncaught|unhandled|FATAL|"level":60/i)
    // Malformed input is answered (400/513 …) or dropped, never silently accepted en masse.
    assert.isAbove(report.replies['4xx'] ?? 0, 0)
  }).timeout(600_000)
})

/* The parts of a response that echo the request (and so differ per request by design). */
const ECHOED = new Set(['via', 'from', 'to', 'call-id', 'cseq', 'content-length'])

function comparable(response: SipResponse) {
  return {
    status: response.status,
    reason: response.reason,
    headers: response.headers
      .filter((h) => !ECHOED.has(h.name.toLowerCase()))
      .map((h) => `${h.name.toLowerCase()}: ${h.value.replace(/nonce="[^"]*"/, 'nonce=…')}`),
    body: response.body.toString('latin1'),
  }
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

test.group('Reliability R4: user enumeration', () => {
  test('unknown user and wrong password get identical answers; median timing printed', async ({
    assert,
    cleanup,
  }) => {
    // 127.0.0.3 is allow-listed so the brute-force guard does not end the measurement.
    const edge = await startEdgeProcess({ VOIP_EDGE_ALLOW_IPS: '127.0.0.3' })
    cleanup(async () => void (await edge.stop()))
    const uac = await TestUac.open(edge.udpPort, '127.0.0.3')
    cleanup(() => uac.close())
    const realm = 'acme.pbx.localhost'
    const samples = Number(process.env.RELIABILITY_ENUM_SAMPLES ?? 100)
    const timings = { unknown: [] as number[], wrong: [] as number[] }
    const answers = { unknown: new Set<string>(), wrong: new Set<string>() }
    for (let i = 0; i < samples * 2; i++) {
      const kind = i % 2 === 0 ? 'unknown' : 'wrong'
      const user = kind === 'unknown' ? `nobody${i}` : '1001'
      const challenge = await uac.request({ user, realm })
      const authorization = uac.authorize(header(challenge, 'www-authenticate'), {
        user,
        realm,
        password: `guess-${i}`,
      })
      const started = process.hrtime.bigint()
      const final = await uac.request({ user, realm, authorization })
      timings[kind].push(Number(process.hrtime.bigint() - started) / 1e6)
      answers[kind].add(JSON.stringify(comparable(final)))
      answers[kind].add(`challenge ${JSON.stringify(comparable(challenge))}`)
    }
    const difference = median(timings.wrong) - median(timings.unknown)
    console.log(
      `user enumeration: ${samples} pairs, median unknown ${median(timings.unknown).toFixed(3)} ms, ` +
        `wrong password ${median(timings.wrong).toFixed(3)} ms, difference ${difference.toFixed(3)} ms`,
    )
    assert.deepEqual([...answers.unknown], [...answers.wrong])
    assert.lengthOf([...answers.unknown], 2, 'one final answer and one challenge shape')
    assert.match([...answers.unknown][0], /"status":403/)
    // The measurement locked nobody out: the real password still registers.
    const ok = await uac.register({ user: '1001', realm, password: 'demo-1001-change-me' })
    assert.equal(ok.final.status, 200)
  }).timeout(120_000)
})
