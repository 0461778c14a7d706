/**
 * The Kamailio baseline of the SIP benchmarks: Debian's kamailio 5.6 doing the equivalent
 * work of the edge, from a config generated into a temp dir at bench time:
 *
 * - registrar: digest (auth + auth_db over db_text, MD5, qop=auth with nonce-count checks)
 *   over the same users, bindings in usrloc (memory; the edge keeps them in Redis);
 * - stateful proxy: 407 digest challenge (proxy_authorize), usrloc lookup, tm relay with
 *   Record-Route, rtpengine offer/answer/delete (the same rtpengine as the edge's run).
 *
 * Kamailio runs with 4 worker processes (its usual multi-process model) on the same 2 cores.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createSocket } from 'node:dgram'
import { join } from 'node:path'

export const KAMAILIO_CHILDREN = 4

export interface KamailioOptions {
  dir: string
  port: number
  users: Array<{ username: string; password: string }>
  /** rtpengine ng port for the proxy's media anchoring; null: registrar only. */
  rtpengineNg: number | null
}

function config(options: KamailioOptions): string {
  const media = options.rtpengineNg !== null
  return `#!KAMAILIO
debug=0
log_stderror=yes
children=${KAMAILIO_CHILDREN}
listen=udp:127.0.0.1:${options.port}
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
udp_mtu=1300

loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "db_text.so"
loadmodule "auth.so"
loadmodule "auth_db.so"
${media ? 'loadmodule "rtpengine.so"' : ''}

modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 3600)
modparam("auth", "secret", "bench-kamailio-nonce-secret")
modparam("auth", "qop", "auth")
modparam("auth", "nonce_count", 1)
modparam("auth", "nonce_expire", 300)
modparam("auth_db", "db_url", "text://${join(options.dir, 'db')}")
modparam("auth_db", "calculate_ha1", yes)
modparam("auth_db", "password_column", "password")
modparam("auth_db", "load_credentials", "")
modparam("auth_db", "use_domain", 0)
${media ? `modparam("rtpengine", "rtpengine_sock", "udp:127.0.0.1:${options.rtpengineNg}")` : ''}

request_route {
  if (!mf_process_maxfwd_header("10")) {
    sl_send_reply("483", "Too Many Hops");
    exit;
  }
  if (is_method("OPTIONS") && uri==myself) {
    sl_send_reply("200", "OK");
    exit;
  }
  if (is_method("REGISTER")) {
    if (!auth_check("$fd", "subscriber", "1")) {
      auth_challenge("$fd", "1");
      exit;
    }
    consume_credentials();
    if (!save("location")) sl_reply_error();
    exit;
  }
  if (has_totag()) {
    if (loose_route()) {
      ${media ? 'if (is_method("BYE")) rtpengine_delete();' : ''}
      if (!t_relay()) sl_reply_error();
      exit;
    }
    if (is_method("ACK")) {
      if (t_check_trans()) t_relay();
      exit;
    }
    sl_send_reply("404", "Not here");
    exit;
  }
  if (is_method("CANCEL")) {
    if (t_check_trans()) {
      ${media ? 'rtpengine_delete();' : ''}
      t_relay();
    }
    exit;
  }
  if (is_method("ACK")) {
    t_check_trans();
    exit;
  }
  if (is_method("INVITE")) {
    if (!proxy_authorize("$fd", "subscriber")) {
      proxy_challenge("$fd", "1");
      exit;
    }
    consume_credentials();
    if (!lookup("location")) {
      sl_send_reply("404", "Not Found");
      exit;
    }
    record_route();
    ${media ? 'rtpengine_manage("replace-origin replace-session-connection");' : ''}
    ${media ? 't_on_reply("REPLY");\n    t_on_failure("FAIL");' : ''}
    if (!t_relay()) sl_reply_error();
    exit;
  }
  sl_send_reply("405", "Method Not Allowed");
}

${
  media
    ? `onreply_route[REPLY] {
  if (has_body("application/sdp")) rtpengine_manage("replace-origin replace-session-connection");
}

failure_route[FAIL] {
  rtpengine_delete();
}`
    : ''
}
`
}

/** Writes the config and the db_text tables, starts kamailio and waits until it answers OPTIONS. */
export async function startKamailio(options: KamailioOptions): Promise<ChildProcess> {
  const db = join(options.dir, 'db')
  mkdirSync(db, { recursive: true })
  writeFileSync(join(db, 'version'), 'table_name(string) table_version(int)\nsubscriber:7\n')
  writeFileSync(
    join(db, 'subscriber'),
    'id(int,auto) username(string) domain(string) password(string) ha1(string,null) ha1b(string,null)\n' +
      options.users
        .map((user, i) => `${i + 1}:${user.username}:bench.pbx.test:${user.password}::`)
        .join('\n') +
      '\n',
  )
  const file = join(options.dir, 'kamailio.cfg')
  writeFileSync(file, config(options))
  const run = join(options.dir, 'run')
  mkdirSync(run, { recursive: true })
  const child = spawn(
    '/usr/sbin/kamailio',
    ['-DD', '-E', '-f', file, '-Y', run, '-P', join(run, 'kamailio.pid'), '-m', '256', '-M', '16'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let log = ''
  child.stderr!.on('data', (chunk) => (log = (log + chunk).slice(-4000)))
  const exited = new Promise<never>((_, fail) =>
    child.once('exit', (code) => fail(new Error(`kamailio exited with ${code}:\n${log}`))),
  )
  exited.catch(() => undefined)
  await Promise.race([
    waitForOptions(options.port, 15_000).catch((error: Error) => {
      throw new Error(`${error.message}:\n${log}`)
    }),
    exited,
  ])
  child.removeAllListeners('exit')
  return child
}

/** Resolves once something answers an OPTIONS on 127.0.0.1:`port` (UDP). */
export function waitForOptions(port: number, timeoutMs: number): Promise<void> {
  return new Promise<void>((done, fail) => {
    const timer = setTimeout(() => {
      clearInterval(probe)
      fail(new Error(`nothing answered OPTIONS on port ${port}`))
    }, timeoutMs)
    const probe = setInterval(() => {
      const socket = createSocket('udp4')
      let open = true
      const close = () => {
        if (open) socket.close()
        open = false
      }
      socket.once('message', () => {
        clearInterval(probe)
        clearTimeout(timer)
        close()
        done()
      })
      const message = `OPTIONS sip:127.0.0.1:${port} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bKprobe${Date.now()};rport\r\nFrom: <sip:p@x>;tag=1\r\nTo: <sip:k@x>\r\nCall-ID: probe-${Date.now()}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n`
      socket.send(message, port, '127.0.0.1', () => setTimeout(close, 300))
    }, 300)
  })
}

export async function stopKamailio(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((done) => child.once('exit', () => done()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

/**
 * CPU seconds (user + system) used so far by a process and its direct children (Kamailio's
 * workers), from /proc: a figure that contention from other work on the box distorts far
 * less than latency.
 */
export function cpuSeconds(rootPid: number): number {
  let ticks = 0
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue
    }
    // Fields after the parenthesised command name: state ppid … utime(14) stime(15).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const pid = Number(entry)
    const ppid = Number(fields[1])
    if (pid === rootPid || ppid === rootPid) ticks += Number(fields[11]) + Number(fields[12])
  }
  return ticks / 100
}
