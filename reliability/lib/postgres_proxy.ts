/**
 * A TCP proxy in front of the shared PostgreSQL that a test can cut, so a "database outage"
 * never touches the real service (other runs and helpers share it). Loopback only, node
 * builtins only (plain Node, type stripping).
 *
 * - `cut('refuse')`: every open connection is destroyed (the app sees ECONNRESET /
 *   "Connection terminated"), new ones are accepted and closed at once (the client sees a
 *   reset before the PostgreSQL greeting, as when the server is restarting).
 * - `cut('blackhole')`: open connections are destroyed, new ones are accepted and left
 *   silent (a partitioned network: the client's own timeouts must fire).
 * - `restore()`: new connections are forwarded again.
 */
import { createServer, connect, type Server, type Socket } from 'node:net'

export type CutMode = 'refuse' | 'blackhole'

export type PostgresProxy = {
  port: number
  /** Connections forwarded since start (a check that the app really goes through us). */
  readonly forwarded: number
  /** Connections turned away (refused or black-holed) while cut. */
  readonly turnedAway: number
  readonly state: 'open' | CutMode
  cut(mode?: CutMode): void
  restore(): void
  close(): Promise<void>
}

export async function startPostgresProxy(
  options: { targetHost?: string; targetPort?: number; port?: number } = {},
): Promise<PostgresProxy> {
  const targetHost = options.targetHost ?? '127.0.0.1'
  const targetPort = options.targetPort ?? 5432
  let state: 'open' | CutMode = 'open'
  let forwarded = 0
  let turnedAway = 0
  // Every socket we hold, either side, so a cut can destroy them all in one go.
  const sockets = new Set<Socket>()
  const hold = (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
    // A reset from either side is expected here; an unhandled 'error' would kill the process.
    socket.on('error', () => socket.destroy())
  }

  const server: Server = createServer((client) => {
    hold(client)
    if (state === 'refuse') {
      turnedAway += 1
      client.resetAndDestroy()
      return
    }
    if (state === 'blackhole') {
      turnedAway += 1
      // Read and drop, never answer: the client waits for a greeting that never comes.
      client.on('data', () => undefined)
      return
    }
    forwarded += 1
    const upstream = connect({ host: targetHost, port: targetPort })
    hold(upstream)
    client.pipe(upstream)
    upstream.pipe(client)
    client.once('close', () => upstream.destroy())
    upstream.once('close', () => client.destroy())
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0

  return {
    port,
    get forwarded() {
      return forwarded
    },
    get turnedAway() {
      return turnedAway
    },
    get state() {
      return state
    },
    cut(mode: CutMode = 'refuse') {
      state = mode
      // A reset, not a FIN: PostgreSQL going away mid-query looks like this to the client.
      for (const socket of sockets) socket.resetAndDestroy()
    },
    restore() {
      // Black-holed clients are cut loose too, so they fail now instead of waiting forever.
      // While cut, every socket held is a black-holed client (the forwarded ones were cut).
      if (state !== 'open') for (const socket of sockets) socket.destroy()
      state = 'open'
    },
    close() {
      for (const socket of sockets) socket.destroy()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
