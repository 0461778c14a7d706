import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { track, stopProcess, freeUdpPort } from './processes.ts'

/**
 * A headless baresip softphone on loopback: audio from a generated tone WAV, auto-answer,
 * controlled over its ctrl_tcp netstring interface.
 */
export class Baresip {
  readonly child: ChildProcess
  readonly #dir: string
  readonly #ctrlPort: number
  output = ''

  private constructor(child: ChildProcess, dir: string, ctrlPort: number) {
    this.child = child
    this.#dir = dir
    this.#ctrlPort = ctrlPort
    child.stdout!.on('data', (chunk) => (this.output += chunk))
    child.stderr!.on('data', (chunk) => (this.output += chunk))
  }

  static async start(options: {
    user: string
    password: string
    domain: string
    edgePort: number
  }): Promise<Baresip> {
    const dir = mkdtempSync(join(tmpdir(), 'voip-edge-baresip-'))
    const sipPort = await freeUdpPort()
    const ctrlPort = await freeUdpPort()
    const dnsPort = await freeUdpPort()
    const rtpBase = 18_000 + Math.floor(Math.random() * 400) * 10
    // aufile ends the call when the WAV ends: make it longer than any test.
    execFileSync('sox', [
      '-n',
      '-r',
      '8000',
      '-c',
      '1',
      '-b',
      '16',
      '-e',
      'signed-integer',
      join(dir, 'tone.wav'),
      'synth',
      '30',
      'sine',
      '440',
    ])
    writeFileSync(
      join(dir, 'config'),
      [
        `sip_listen 127.0.0.1:${sipPort}`,
        'net_interface 127.0.0.1',
        // The machine's resolver is off loopback: any lookup must stay on 127.0.0.1.
        `dns_server 127.0.0.1:${dnsPort}`,
        `audio_source aufile,${join(dir, 'tone.wav')}`,
        `audio_player aufile,${join(dir, 'received.wav')}`,
        'audio_alert aufile,/dev/null',
        'audio_srate 8000',
        'audio_channels 1',
        `rtp_ports ${rtpBase}-${rtpBase + 9}`,
        'module_path /usr/lib/baresip/modules',
        'module g711.so',
        'module aufile.so',
        'module_app account.so',
        'module_app menu.so',
        'module_app ctrl_tcp.so',
        `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
        '',
      ].join('\n'),
    )
    writeFileSync(
      join(dir, 'accounts'),
      `<sip:${options.user}@${options.domain}>;auth_pass=${options.password};outbound="sip:127.0.0.1:${options.edgePort};transport=udp";regint=60;answermode=auto\n`,
    )
    mkdirSync(join(dir, 'home'))
    const child = track(
      spawn('/usr/bin/baresip', ['-4', ...(process.env.BARESIP_TRACE ? ['-s'] : []), '-f', dir], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, HOME: join(dir, 'home') },
      }),
    )
    return new Baresip(child, dir, ctrlPort)
  }

  /** Sends one ctrl_tcp command (netstring-framed JSON). */
  command(command: string, params = ''): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: this.#ctrlPort }, () => {
        const json = JSON.stringify({ command, params, token: command })
        socket.end(`${Buffer.byteLength(json)}:${json},`)
      })
      socket.on('error', reject)
      socket.on('data', () => socket.destroy())
      socket.on('close', () => resolve())
    })
  }

  async stop(): Promise<void> {
    await stopProcess(this.child)
    rmSync(this.#dir, { recursive: true, force: true })
  }
}
