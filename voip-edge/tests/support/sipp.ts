import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { track, stopProcess, freeUdpPort } from './processes.ts'

export const SCENARIOS = resolve(import.meta.dirname, '../../scenarios')

// Work folders of sipp runs still going when the runner exits (a failed test) are removed too.
const folders = new Set<string>()
process.once('exit', () => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true })
})

export interface SippRun {
  scenario: string
  code: number | null
  output: string
}

/**
 * Runs one sipp scenario against the edge and resolves with its exit code (0 = every call
 * went as the scenario expects). sipp is killed if it outlives `timeoutMs`.
 */
export async function runSipp(options: {
  scenario: string
  port: number
  localAddress?: string
  calls?: number
  /** Injection file lines (without the SEQUENTIAL header). */
  users?: string[]
  timeoutMs?: number
  transport?: 'u1' | 't1'
  /** UAS mode: listen on this port and take calls instead of dialling `port`. */
  localPort?: number
  mediaPort?: number
  rtpEcho?: boolean
}): Promise<SippRun> {
  const dir = mkdtempSync(join(tmpdir(), 'voip-edge-sipp-'))
  folders.add(dir)
  // Stock sipp pcap paths are relative: pcap/<file> from Debian's sip-tester package.
  symlinkSync('/usr/share/sip-tester', join(dir, 'pcap'))
  const localPort = options.localPort ?? (await freeUdpPort(options.localAddress ?? '127.0.0.1'))
  const args = [
    '-sf',
    join(SCENARIOS, options.scenario),
    ...(options.port > 0 ? [`127.0.0.1:${options.port}`] : []),
    '-i',
    options.localAddress ?? '127.0.0.1',
    '-p',
    String(localPort),
    '-m',
    String(options.calls ?? 1),
    '-t',
    options.transport ?? 'u1',
    '-nostdin',
    '-timeout',
    `${Math.ceil((options.timeoutMs ?? 8000) / 1000)}s`,
    '-timeout_error',
    '-max_socket',
    '100',
    '-mi',
    options.localAddress ?? '127.0.0.1',
    '-mp',
    String(options.mediaPort ?? (await freeUdpPort())),
    ...(options.rtpEcho ? ['-rtp_echo'] : []),
  ]
  if (options.users) {
    const csv = join(dir, 'users.csv')
    writeFileSync(csv, ['SEQUENTIAL', ...options.users, ''].join('\n'))
    args.push('-inf', csv)
  }
  const child = track(spawn('/usr/bin/sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }))
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  const killer = setTimeout(() => void stopProcess(child), (options.timeoutMs ?? 8000) + 3000)
  const code = await new Promise<number | null>((resolveExit) =>
    child.once('exit', (exitCode) => resolveExit(exitCode)),
  )
  clearTimeout(killer)
  rmSync(dir, { recursive: true, force: true })
  folders.delete(dir)
  return { scenario: options.scenario, code, output: output.slice(-2000) }
}

export function credentials(user: string, password: string, realm: string): string {
  return `${user};[authentication username=${user} password=${password}];${realm}`
}
