import { test } from '@japa/runner'
import { pino } from 'pino'
import { NativeSignalingPort } from '../../src/signaling/native_port.ts'
import { UdpTransport } from '../../src/transport/udp_transport.ts'
import { TcpTransport } from '../../src/transport/tcp_transport.ts'
import { SystemClock } from '../../src/transaction/clock.ts'
import type { InboundCall, SignalingPeer } from '../../src/signaling/signaling_port.ts'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A throwaway self-signed certificate for 127.0.0.1, made once per run. */
const certificate = (() => {
  let made: { cert: Buffer; key: Buffer } | null = null
  return () => {
    if (made) return made
    const dir = mkdtempSync(join(tmpdir(), 'voip-edge-tls-'))
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-days',
        '1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    )
    made = { cert: readFileSync(join(dir, 'cert.pem')), key: readFileSync(join(dir, 'key.pem')) }
    rmSync(dir, { recursive: true, force: true })
    return made
  }
})()

const SDP_A =
  'v=0\r\no=a 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n'
const SDP_B = SDP_A.replace('o=a', 'o=b').replace('40000', '40002')

async function pair(protocol: 'udp' | 'tcp' | 'tls') {
  const tls = protocol === 'tls' ? { ...certificate(), ca: certificate().cert } : undefined
  const make = () =>
    new NativeSignalingPort({
      transports: [
        protocol === 'udp'
          ? new UdpTransport({ host: '127.0.0.1', port: 0 })
          : new TcpTransport({ host: '127.0.0.1', port: 0, maxMessageBytes: 16_384, tls }),
      ],
      clock: new SystemClock(),
      logger: pino({ level: 'silent' }),
      advertisedHost: '127.0.0.1',
    })
  const a = make()
  const b = make()
  await a.start()
  const bound = await b.start()
  const peer: SignalingPeer = { protocol, address: '127.0.0.1', port: bound.get(protocol)!.port }
  return { a, b, peer, close: async () => void (await Promise.all([a.close(), b.close()])) }
}

const dialB = (peer: SignalingPeer) => ({
  target: `sip:b@127.0.0.1:${peer.port}`,
  peer,
  from: '<sip:a@example.test>',
  to: '<sip:b@example.test>',
  localSdp: SDP_A,
})

for (const protocol of ['udp', 'tcp', 'tls'] as const) {
  test.group(`native SignalingPort over ${protocol}`, () => {
    test('createUac → onInvite → answer: both sides get a dialog and the SDPs; BYE reaches the other side', async ({
      assert,
      cleanup,
    }) => {
      const { a, b, peer, close } = await pair(protocol)
      cleanup(close)
      const ringing: number[] = []
      const answered = new Promise<InboundCall>((resolve) =>
        b.onInvite((call) => {
          call.progress(180)
          resolve(call)
        }),
      )
      const outbound = a.createUac({
        ...dialB(peer),
        onProvisional: (status) => ringing.push(status),
      })
      const inbound = await answered
      assert.equal(inbound.sdp, SDP_A)
      const bDialog = await Promise.all([inbound.answer(SDP_B), outbound.outcome]).then(
        ([dialog, outcome]) => {
          assert.equal(outcome.kind, 'answered')
          if (outcome.kind === 'answered') assert.equal(outcome.sdp, SDP_B)
          return dialog
        },
      )
      assert.include(ringing, 180)
      assert.equal(inbound.state, 'confirmed', 'the ACK arrived')
      const outcome = await outbound.outcome
      if (outcome.kind !== 'answered') throw new Error('not answered')
      const hungUp = new Promise<void>((resolve) => outcome.dialog.onRemoteBye(resolve))
      assert.equal(await bDialog.bye(), 200)
      await hungUp
      assert.isTrue(outcome.dialog.terminated)
      assert.equal(a.dialogs.size, 0)
      assert.equal(b.dialogs.size, 0)
    })

    test('cancel() after ringing: the callee sees the CANCEL and the caller gets 487', async ({
      assert,
      cleanup,
    }) => {
      const { a, b, peer, close } = await pair(protocol)
      cleanup(close)
      let cancelled = false
      b.onInvite((call) => {
        call.onCancel(() => (cancelled = true))
        call.progress(180)
      })
      const outbound = a.createUac({ ...dialB(peer), onProvisional: () => outbound.cancel() })
      const outcome = await outbound.outcome
      assert.deepEqual(outcome, { kind: 'failed', status: 487, reason: 'Request Terminated' })
      assert.isTrue(cancelled)
    })

    test('reject() travels back as the final status; out-of-dialog request() gets its status', async ({
      assert,
      cleanup,
    }) => {
      const { a, b, peer, close } = await pair(protocol)
      cleanup(close)
      b.onInvite((call) => call.reject(486, 'Busy Here'))
      const outcome = await a.createUac(dialB(peer)).outcome
      assert.deepEqual(outcome, { kind: 'failed', status: 486, reason: 'Busy Here' })
      assert.equal(
        await a.request({
          method: 'OPTIONS',
          target: `sip:b@127.0.0.1:${peer.port}`,
          peer,
          from: '<sip:a@example.test>',
          to: '<sip:b@example.test>',
        }),
        200,
      )
    })
  })
}
