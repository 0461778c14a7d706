import { createSocket } from 'node:dgram'
import { connect } from 'node:net'

/** Sends one datagram from `localAddress` and resolves with the first reply (or null on timeout). */
export function udpExchange(
  data: string | Buffer,
  port: number,
  exchange: { timeoutMs?: number; localAddress?: string } = {},
): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4')
    const timer = setTimeout(() => {
      socket.close()
      resolve(null)
    }, exchange.timeoutMs ?? 1000)
    socket.once('message', (reply) => {
      clearTimeout(timer)
      socket.close()
      resolve(reply.toString('latin1'))
    })
    socket.once('error', (error) => {
      clearTimeout(timer)
      socket.close()
      reject(error)
    })
    socket.bind(0, exchange.localAddress ?? '127.0.0.1', () => socket.send(data, port, '127.0.0.1'))
  })
}

/** Writes to a TCP connection and collects everything until the server closes or the timeout. */
export function tcpExchange(
  data: string | Buffer,
  port: number,
  timeoutMs = 1000,
): Promise<{ text: string; closedByServer: boolean }> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    let text = ''
    let closedByServer = false
    const timer = setTimeout(() => {
      socket.destroy()
      resolve({ text, closedByServer })
    }, timeoutMs)
    socket.on('data', (chunk) => (text += chunk.toString('latin1')))
    socket.on('end', () => {
      closedByServer = true
      clearTimeout(timer)
      socket.destroy()
      resolve({ text, closedByServer })
    })
    socket.on('error', () => undefined)
    socket.write(data)
  })
}

export function options(callId: string, extra: string[] = [], body = ''): string {
  return [
    'OPTIONS sip:ping@127.0.0.1 SIP/2.0',
    `Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK${callId};rport`,
    'From: <sip:probe@127.0.0.1>;tag=p1',
    'To: <sip:ping@127.0.0.1>',
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    'Max-Forwards: 70',
    ...extra,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n')
}
