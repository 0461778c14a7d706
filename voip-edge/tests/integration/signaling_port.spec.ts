import { pino } from 'pino'
import { NativeSignalingPort } from '../../src/signaling/native_port.ts'
import { UdpTransport } from '../../src/transport/udp_transport.ts'
import { TcpTransport } from '../../src/transport/tcp_transport.ts'
import { SystemClock } from '../../src/transaction/clock.ts'
import type { SignalingPeer } from '../../src/signaling/signaling_port.ts'
import { DrachtioSignalingPort } from '../../src/signaling/drachtio_port.ts'
import { FakeDrachtioServer } from '../support/fake_drachtio.ts'
import { signalingContract, type PortPair } from '../support/signaling_contract.ts'
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

type Side = 'native' | 'drachtio'

const SECRET = 'contract-secret'

/** One port of the given kind, listening for SIP on `protocol` (drachtio: the fake daemon's). */
async function makeSide(kind: Side, protocol: 'udp' | 'tcp' | 'tls') {
  if (kind === 'native') {
    const tls = protocol === 'tls' ? { ...certificate(), ca: certificate().cert } : undefined
    const port = new NativeSignalingPort({
      transports: [
        protocol === 'udp'
          ? new UdpTransport({ host: '127.0.0.1', port: 0 })
          : new TcpTransport({ host: '127.0.0.1', port: 0, maxMessageBytes: 16_384, tls }),
      ],
      clock: new SystemClock(),
      logger: pino({ level: 'silent' }),
      advertisedHost: '127.0.0.1',
    })
    const bound = await port.start()
    return {
      port,
      sipPort: bound.get(protocol)!.port,
      open: () => port.dialogs.size,
      below: () => 0,
      close: () => port.close(),
    }
  }
  if (protocol === 'tls') throw new Error('the fake daemon speaks udp and tcp')
  const daemon = new FakeDrachtioServer({ secret: SECRET, protocol })
  const { controlPort, sipPort } = await daemon.start()
  const port = new DrachtioSignalingPort({
    host: '127.0.0.1',
    port: controlPort,
    secret: SECRET,
    logger: pino({ level: 'silent' }),
  })
  await port.start()
  return {
    port,
    sipPort,
    daemon,
    open: () => port.dialogs.size,
    below: () => daemon.dialogCount,
    close: async () => {
      await port.close()
      await daemon.close()
    },
  }
}

function pairOf(a: Side, b: Side, protocol: 'udp' | 'tcp' | 'tls'): () => Promise<PortPair> {
  return async () => {
    const [sideA, sideB] = await Promise.all([makeSide(a, protocol), makeSide(b, protocol)])
    const peer: SignalingPeer = { protocol, address: '127.0.0.1', port: sideB.sipPort }
    return {
      a: sideA.port,
      b: sideB.port,
      peer,
      openDialogs: () => sideA.open() + sideB.open(),
      stackDialogs: () => sideA.below() + sideB.below(),
      close: async () => void (await Promise.all([sideA.close(), sideB.close()])),
    }
  }
}

for (const protocol of ['udp', 'tcp', 'tls'] as const)
  signalingContract(`native ↔ native over ${protocol}`, pairOf('native', 'native', protocol))
signalingContract('drachtio → native over udp', pairOf('drachtio', 'native', 'udp'))
signalingContract('native → drachtio over udp', pairOf('native', 'drachtio', 'udp'))
signalingContract('drachtio ↔ drachtio over tcp', pairOf('drachtio', 'drachtio', 'tcp'))
