import { createSocket } from 'node:dgram'

/**
 * Resolves once something (a sipp UAS starting up) holds the UDP port. A listener that binds
 * late gets an INVITE and its retransmission at once, which a sipp scenario can misread as
 * its next request.
 */
export async function udpBound(port: number, address = '127.0.0.1'): Promise<void> {
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    const probe = createSocket('udp4')
    const free = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(false))
      probe.bind(port, address, () => resolve(true))
    })
    probe.close()
    if (!free) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`nothing listens on ${address}:${port}`)
}
