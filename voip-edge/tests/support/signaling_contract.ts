/**
 * The SignalingPort contract as one suite, run against every adapter (native, drachtio-srf)
 * and mixed pairs: A calls B over a real network, whatever sits behind each port.
 */
import { test } from '@japa/runner'
import type {
  CallDialog,
  InboundCall,
  InboundRegister,
  SignalingPeer,
  SignalingPort,
} from '../../src/signaling/signaling_port.ts'
import { tcpExchange, udpExchange } from './raw_sip.ts'

export interface PortPair {
  a: SignalingPort
  b: SignalingPort
  /** Where B listens for SIP. */
  peer: SignalingPeer
  /** Dialogs still open in both ports (0 once every call is over). */
  openDialogs(): number
  /** Dialogs still held below the ports (a drachtio daemon's); 0 once every call is over. */
  stackDialogs(): number
  close(): Promise<void>
}

export const SDP_A =
  'v=0\r\no=a 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=sendrecv\r\n'
export const SDP_B = SDP_A.replace('o=a', 'o=b').replace('40000', '40002')
const SDP_A_HOLD = SDP_A.replace('o=a 1 1', 'o=a 1 2').replace('sendrecv', 'sendonly')
const SDP_B_HOLD = SDP_B.replace('o=b 1 1', 'o=b 1 2').replace('sendrecv', 'recvonly')

const dialB = (peer: SignalingPeer) => ({
  target: `sip:b@127.0.0.1:${peer.port}`,
  peer,
  from: '<sip:a@example.test>',
  to: '<sip:b@example.test>',
  localSdp: SDP_A,
})

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** A → B call answered on both sides; returns both dialogs. */
async function connect(pair: PortPair, onRinging?: (status: number) => void) {
  const { a, b, peer } = pair
  const answered = new Promise<InboundCall>((resolve) =>
    b.onInvite((call) => {
      call.progress(180)
      resolve(call)
    }),
  )
  const outbound = a.createUac({ ...dialB(peer), onProvisional: onRinging })
  const inbound = await answered
  const answering = inbound.answer(SDP_B)
  // The B2BUA wires BYE and re-INVITE relays on this right away, before the ACK.
  const early = inbound.dialog
  const [bDialog, outcome] = await Promise.all([answering, outbound.outcome])
  if (outcome.kind !== 'answered') throw new Error(`not answered: ${outcome.status}`)
  return { inbound, outcome, aDialog: outcome.dialog, bDialog, early }
}

export function signalingContract(name: string, makePair: () => Promise<PortPair>): void {
  test.group(`SignalingPort contract: ${name}`, () => {
    test('createUac → onInvite → answer: both sides get a dialog and the SDPs; BYE reaches the other side', async ({
      assert,
      cleanup,
    }) => {
      const pair = await makePair()
      cleanup(() => pair.close())
      const ringing: number[] = []
      const { inbound, outcome, bDialog, early } = await connect(pair, (status) =>
        ringing.push(status),
      )
      assert.equal(early, bDialog, 'answer() exposes the dialog at once')
      assert.equal(inbound.sdp, SDP_A)
      assert.equal(outcome.sdp, SDP_B)
      assert.include(ringing, 180)
      assert.equal(inbound.state, 'confirmed', 'the ACK arrived')
      assert.equal(inbound.dialog, bDialog)
      assert.equal(outcome.dialog.callId, bDialog.callId)
      assert.equal(inbound.headers('call-id')[0], bDialog.callId)
      assert.equal(inbound.source.address, '127.0.0.1')
      assert.equal(pair.openDialogs(), 2)
      const hungUp = new Promise<void>((resolve) => outcome.dialog.onRemoteBye(resolve))
      assert.equal(await bDialog.bye(), 200)
      await hungUp
      assert.isTrue(outcome.dialog.terminated)
      assert.isTrue(bDialog.terminated)
      await waitFor(() => pair.openDialogs() === 0 && pair.stackDialogs() === 0)
    })

    test('modify: re-INVITEs in both directions carry the SDPs; a refused one (488) rejects', async ({
      assert,
      cleanup,
    }) => {
      const pair = await makePair()
      cleanup(() => pair.close())
      const { aDialog, bDialog } = await connect(pair)
      const offers: string[] = []
      bDialog.onModify(async (sdp) => {
        offers.push(sdp)
        return SDP_B_HOLD
      })
      assert.equal(await aDialog.modify(SDP_A_HOLD), SDP_B_HOLD)
      assert.deepEqual(offers, [SDP_A_HOLD])
      aDialog.onModify(async () => null)
      await assert.rejects(() => bDialog.modify(SDP_B), /488/)
      // The dialog survives a refused re-INVITE.
      assert.isFalse(aDialog.terminated)
      const hungUp = new Promise<void>((resolve) => bDialog.onRemoteBye(resolve))
      assert.equal(await aDialog.bye(), 200)
      await hungUp
      await waitFor(() => pair.openDialogs() === 0 && pair.stackDialogs() === 0)
    })

    test('cancel() after ringing: the callee sees the CANCEL and the caller gets 487', async ({
      assert,
      cleanup,
    }) => {
      const { a, b, peer, close } = await makePair()
      cleanup(close)
      let cancelled: (() => void) | null = null
      const seen = new Promise<void>((resolve) => (cancelled = resolve))
      let inbound: InboundCall | null = null
      b.onInvite((call) => {
        inbound = call
        call.onCancel(() => cancelled!())
        call.progress(180)
      })
      const outbound = a.createUac({ ...dialB(peer), onProvisional: () => outbound.cancel() })
      const outcome = await outbound.outcome
      assert.deepEqual(outcome, { kind: 'failed', status: 487, reason: 'Request Terminated' })
      await seen
      assert.equal(inbound!.state, 'ended')
    })

    test('reject() travels back as the final status with its reason; out-of-dialog request() gets its status', async ({
      assert,
      cleanup,
    }) => {
      const { a, b, peer, close } = await makePair()
      cleanup(close)
      b.onInvite((call) => call.reject(486, 'Busy Here'))
      const outcome = await a.createUac(dialB(peer)).outcome
      assert.deepEqual(outcome, { kind: 'failed', status: 486, reason: 'Busy Here' })
      b.onInvite((call) => call.reject(603, 'Declined Politely'))
      assert.deepEqual(await a.createUac(dialB(peer)).outcome, {
        kind: 'failed',
        status: 603,
        reason: 'Declined Politely',
      })
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

    test('onRegister: the handler sees the request and its reply goes out with every header line', async ({
      assert,
      cleanup,
    }) => {
      const { a, b, peer, close } = await makePair()
      cleanup(close)
      const seen: InboundRegister[] = []
      b.onRegister(async (register) => {
        seen.push(register)
        if (register.headers('authorization').length === 0)
          return {
            status: 401,
            reason: 'Unauthorized',
            headers: [
              {
                name: 'www-authenticate',
                value: 'Digest realm="r.test", nonce="n1", algorithm=SHA-256, qop="auth"',
              },
              {
                name: 'www-authenticate',
                value: 'Digest realm="r.test", nonce="n2", algorithm=MD5, qop="auth"',
              },
            ],
          }
        return { status: 200, headers: [{ name: 'expires', value: '120' }] }
      })
      // Through the other port (a REGISTER is a plain out-of-dialog request there).
      assert.equal(
        await a.request({
          method: 'REGISTER',
          target: `sip:r.test:${peer.port}`,
          peer,
          from: '<sip:1001@r.test>',
          to: '<sip:1001@r.test>',
        }),
        401,
      )
      assert.equal(seen[0].requestUri, `sip:r.test:${peer.port}`)
      assert.match(seen[0].headers('to')[0], /sip:1001@r\.test/)
      assert.equal(seen[0].source.protocol, peer.protocol)
      // And raw, to see the exact reply lines.
      const register = [
        `REGISTER sip:r.test SIP/2.0`,
        `Via: SIP/2.0/${peer.protocol.toUpperCase()} 127.0.0.1:9;branch=z9hG4bKreg${Date.now()};rport`,
        'From: <sip:1001@r.test>;tag=r1',
        'To: <sip:1001@r.test>',
        `Call-ID: reg-${Date.now()}@contract`,
        'CSeq: 1 REGISTER',
        'Contact: <sip:1001@127.0.0.1:9>',
        'Max-Forwards: 70',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n')
      const reply =
        peer.protocol === 'udp'
          ? await udpExchange(register, peer.port, { timeoutMs: 5000 })
          : peer.protocol === 'tcp'
            ? (await tcpExchange(register, peer.port, 2000)).text
            : null
      if (reply !== null) {
        assert.match(reply ?? '', /^SIP\/2\.0 401 Unauthorized\r\n/)
        assert.lengthOf((reply ?? '').match(/^WWW-Authenticate: /gim) ?? [], 2)
        assert.match(reply ?? '', /nonce="n1".*\r\n[^\r]*nonce="n2"/s)
        assert.equal(seen[1].headers('contact')[0], '<sip:1001@127.0.0.1:9>')
      }
    })

    test('a call that ends before the ACK: answer() rejects and release() leaves nothing behind', async ({
      assert,
      cleanup,
    }) => {
      const pair = await makePair()
      cleanup(() => pair.close())
      const { a, b, peer } = pair
      const call = new Promise<InboundCall>((resolve) => b.onInvite(resolve))
      const outbound = a.createUac(dialB(peer))
      const inbound = await call
      const answering = inbound.answer(SDP_B)
      inbound.release()
      await assert.rejects(() => answering, /before ACK/)
      const outcome = await outbound.outcome
      // The 200 still reached A (it was sent); A can hang up, and nothing stays open.
      if (outcome.kind === 'answered') await (outcome.dialog as CallDialog).bye()
      await waitFor(() => pair.openDialogs() === 0 && pair.stackDialogs() === 0)
    })
  })
}
