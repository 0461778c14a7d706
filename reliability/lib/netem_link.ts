/**
 * A network namespace joined to the host by an impaired point-to-point link (loss, delay,
 * jitter), so that SIP endpoints inside the namespace reach an edge on the host through a
 * bad network while PostgreSQL, Redis and everyone else's loopback traffic stay untouched.
 *
 * The impairment is netem's, applied by netem_link.py between two TUN devices, because this
 * kernel has no sch_netem (`tc qdisc add … netem` answers "Specified qdisc kind is unknown"):
 * same model (independent loss per packet and direction, uniform delay ± jitter, reordering).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { stopChild, track } from './storm_edge.ts'
import { sleep } from './processes.ts'

export type LinkStats = Record<'down' | 'up', { packets: number; dropped: number }>

export type ImpairedLink = {
  ns: string
  hostAddress: string
  nsAddress: string
  /** Command prefix that runs a program inside the namespace. */
  exec: string[]
  /** Removes the link and the namespace; resolves with the packets seen and dropped. */
  close(): Promise<LinkStats | null>
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] })

export async function impairedLink(options: {
  lossPercent: number
  delayMs: number
  jitterMs: number
  seed: number
}): Promise<ImpairedLink> {
  const id = process.pid % 100_000
  const ns = `opbx-netem-${id}`
  const hostDev = `nmh${id}`
  const nsDev = `nmn${id}`
  // A /30 per run in 10.213.0.0/16, away from anything already configured.
  const used = ip('-o', '-4', 'addr').toString()
  let subnet = id % 250
  while (used.includes(`10.213.${subnet}.`)) subnet = (subnet + 1) % 250
  const hostAddress = `10.213.${subnet}.1`
  const nsAddress = `10.213.${subnet}.2`

  let child: ChildProcess | null = null
  const removeNamespace = () => {
    try {
      ip('netns', 'del', ns)
    } catch {
      // already gone
    }
  }
  // The TUN devices vanish with the relay; the namespace must be deleted explicitly, also
  // when the run is interrupted.
  const onExit = () => {
    child?.kill('SIGKILL')
    removeNamespace()
  }
  process.once('exit', onExit)

  try {
    ip('netns', 'add', ns)
    child = track(
      spawn(
        'python3',
        [
          fileURLToPath(new URL('./netem_link.py', import.meta.url)),
          hostDev,
          ns,
          nsDev,
          String(options.lossPercent / 100),
          String(options.delayMs),
          String(options.jitterMs),
          String(options.seed),
        ],
        { stdio: ['pipe', 'pipe', 'pipe'] },
      ),
    )
    let output = ''
    child.stdout!.on('data', (chunk) => (output += chunk))
    child.stderr!.on('data', (chunk) => (output += chunk))
    const deadline = Date.now() + 15_000
    while (!output.includes('ready')) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`netem_link.py did not start: ${output}`)
      await sleep(100)
    }
    ip('addr', 'add', hostAddress, 'peer', nsAddress, 'dev', hostDev)
    ip('link', 'set', hostDev, 'up')
    ip('-n', ns, 'link', 'set', 'lo', 'up')
    ip('-n', ns, 'addr', 'add', nsAddress, 'peer', hostAddress, 'dev', nsDev)
    ip('-n', ns, 'link', 'set', nsDev, 'up')
    const relay = child
    return {
      ns,
      hostAddress,
      nsAddress,
      exec: ['ip', 'netns', 'exec', ns],
      async close() {
        let stats: LinkStats | null = null
        if (relay.exitCode === null) {
          await stopChild(relay)
          const line = output.split('\n').find((text) => text.startsWith('{'))
          stats = line ? (JSON.parse(line) as LinkStats) : null
        }
        removeNamespace()
        process.off('exit', onExit)
        return stats
      },
    }
  } catch (error) {
    onExit()
    process.off('exit', onExit)
    throw error
  }
}
