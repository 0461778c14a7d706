import { readFile } from 'node:fs/promises'

/**
 * Resolves once something (a sipp UAS starting up) holds the UDP port. A listener that binds
 * late gets an INVITE and its retransmission at once, which a sipp scenario can misread as
 * its next request. Read from /proc/net/udp (Linux): probing by binding the port ourselves
 * would race with the process that is about to bind it.
 */
export async function udpBound(port: number): Promise<void> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0')
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    const table = await readFile('/proc/net/udp', 'utf8')
    if (table.split('\n').some((line) => line.trim().split(/\s+/)[1]?.endsWith(`:${hex}`))) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error(`nothing listens on UDP port ${port}`)
}
