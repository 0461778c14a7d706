/**
 * Typed configuration of voip-edge, parsed exactly once from `VOIP_EDGE_*` variables.
 * Nothing else in the package reads `process.env`: everything receives an `EdgeConfig`,
 * so tests can build one without touching the environment.
 */
import { isIP } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export type SipTransportName = 'udp' | 'tcp' | 'tls' | 'ws'
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
export type DigestAlgorithm = 'MD5' | 'SHA-256'

export interface EdgeConfig {
  sipHost: string
  /** 0 asks the OS for an ephemeral port (tests). */
  sipPort: number
  transports: SipTransportName[]
  /** SIP over TLS: its own port (5061 by default) and PEM files; required when `tls` is listed. */
  tls: { port: number; certFile: string; keyFile: string } | null
  /** SIP over WebSocket (RFC 7118) port, when `ws` is listed (put TLS termination in front for wss). */
  wsPort: number
  /** Host written into Via/Contact of what the edge sends; defaults to sipHost. */
  advertisedHost: string
  /** Every tenant realm must end with this (e.g. ".pbx.example.com"); empty = any realm. */
  realmSuffix: string
  appBaseUrl: string
  signingSecret: string
  rtpengineNg: { host: string; port: number }
  rtpengineTimeoutMs: number
  /** rtpengine ping interval: how soon an outage, and the recovery after it, is noticed. */
  rtpengineProbeMs: number
  /** How often the edge checks that rtpengine still holds every call (besides on recovery). */
  rtpengineReconcileMs: number
  /** rtpengine unreachable this long: the calls it carried are hung up (0: never). */
  rtpengineGiveUpMs: number
  /** Server transactions held at once before new requests get 503 (0: no bound). */
  maxServerTransactions: number
  redisUrl: string
  redisPrefix: string
  drainTimeoutMs: number
  logLevel: LogLevel
  sipMessageLog: boolean
  digestAlgorithms: DigestAlgorithm[]
  registerMinExpires: number
  registerMaxExpires: number
  /** Operator lists: exact IPv4/IPv6 addresses or IPv4 CIDR blocks. */
  allowIps: string[]
  blockIps: string[]
  /** JSON file of demo tenants for the in-memory credential store (bin/voip_edge.ts only). */
  credentialsFile: string | null
  /** `http`: ask the app (M1, signed); `direct`: dial the called extension (demo without the app). */
  router: 'http' | 'direct'
  /** Which SIP stack carries signaling: our own (`native`) or a drachtio daemon over its TCP API. */
  signaling: { kind: 'native' } | { kind: 'drachtio'; host: string; port: number; secret: string }
  /** Folder of the durable CDR spool (M5); null disables CDR posting. */
  cdrSpoolDir: string | null
  /** Post M4 session updates to `<appBaseUrl>/api/webhooks/cloudonix/session-update`. */
  sessionUpdates: boolean
  /** Signed HTTP control API; null port disables it, 0 picks an ephemeral port. */
  control: { host: string; port: number | null }
  /** CXML media verbs (Say, Play, Gather, Record) and the app request budget. */
  media: {
    /** TTS and prompt cache, record beep, finished recordings. */
    cacheDir: string
    /** Where rtpengine's --dtmf-log-dest points (the edge binds it); null: no Gather. */
    dtmfListen: { host: string; port: number } | null
    /** rtpengine's --recording-dir (pcap, same host); null: no Record. */
    recordingDir: string | null
    /** rtpengine's peer while the edge itself answers (a discard address). */
    sink: { host: string; port: number }
    cxmlConnectTimeoutMs: number
    cxmlTimeoutMs: number
    playMaxBytes: number
    playTimeoutMs: number
  }
  /** Per-tenant caps (0 = unlimited) and per-organization overrides. */
  tenantLimits: {
    maxCalls: number
    maxCps: number
    overrides: Record<string, { maxCalls?: number; maxCps?: number }>
  }
  /** A trunk silent (no 1xx) this long is given up for the next one. */
  trunkNoResponseMs: number
  /** MWI: also NOTIFY registered phones that never subscribed (VOIP_EDGE_MWI_UNSOLICITED). */
  mwiUnsolicited: boolean
}

export class ConfigError extends Error {
  readonly variable: string
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`)
    this.name = 'ConfigError'
    this.variable = variable
  }
}

type Env = Record<string, string | undefined>

const LOG_LEVELS: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

function read(env: Env, name: string, fallback?: string): string {
  const raw = env[name]
  const value = raw === undefined || raw.trim() === '' ? fallback : raw.trim()
  if (value === undefined) throw new ConfigError(name, 'is required but not set')
  return value
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const text = read(env, name, String(fallback))
  if (!/^\d+$/.test(text)) throw new ConfigError(name, `must be an integer, got "${text}"`)
  const value = Number(text)
  if (value < min || value > max) {
    throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`)
  }
  return value
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const text = read(env, name, fallback ? 'true' : 'false').toLowerCase()
  if (['1', 'true', 'on', 'yes'].includes(text)) return true
  if (['0', 'false', 'off', 'no'].includes(text)) return false
  throw new ConfigError(name, `must be true/false/on/off/1/0, got "${text}"`)
}

function list(env: Env, name: string, fallback: string): string[] {
  return read(env, name, fallback)
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
}

function hostPort(env: Env, name: string, fallback: string): { host: string; port: number } {
  const text = read(env, name, fallback)
  const match = /^([^:]+):(\d{1,5})$/.exec(text)
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) {
    throw new ConfigError(name, `must be host:port, got "${text}"`)
  }
  return { host: match[1], port: Number(match[2]) }
}

function ipList(env: Env, name: string): string[] {
  const items = list(env, name, '-').filter((item) => item !== '-')
  for (const item of items) {
    const [ip, bits] = item.split('/')
    const family = isIP(ip)
    const badBits = bits !== undefined && (family !== 4 || !/^\d+$/.test(bits) || Number(bits) > 32)
    if (family === 0 || badBits) {
      throw new ConfigError(name, `"${item}" is not an IP address or IPv4 CIDR block`)
    }
  }
  return items
}

function routerMode(env: Env): 'http' | 'direct' {
  const mode = read(env, 'VOIP_EDGE_ROUTER', 'http')
  if (mode !== 'http' && mode !== 'direct')
    throw new ConfigError('VOIP_EDGE_ROUTER', `must be http or direct, got "${mode}"`)
  return mode
}

function signalingMode(env: Env): EdgeConfig['signaling'] {
  const kind = read(env, 'VOIP_EDGE_SIGNALING', 'native')
  if (kind === 'native') return { kind }
  if (kind !== 'drachtio')
    throw new ConfigError('VOIP_EDGE_SIGNALING', `must be native or drachtio, got "${kind}"`)
  const { host, port } = hostPort(env, 'VOIP_EDGE_DRACHTIO_ADDRESS', '127.0.0.1:9022')
  return { kind, host, port, secret: read(env, 'VOIP_EDGE_DRACHTIO_SECRET') }
}

export function parseConfig(env: Env): EdgeConfig {
  const sipHost = read(env, 'VOIP_EDGE_SIP_HOST', '127.0.0.1')
  if (isIP(sipHost) === 0) {
    throw new ConfigError('VOIP_EDGE_SIP_HOST', `must be an IP address, got "${sipHost}"`)
  }
  const transports = list(env, 'VOIP_EDGE_SIP_TRANSPORTS', 'udp,tcp').map((t) => t.toLowerCase())
  for (const transport of transports) {
    if (transport !== 'udp' && transport !== 'tcp' && transport !== 'tls' && transport !== 'ws') {
      throw new ConfigError(
        'VOIP_EDGE_SIP_TRANSPORTS',
        `unsupported transport "${transport}" (udp, tcp, tls, ws)`,
      )
    }
  }
  if (transports.length === 0)
    throw new ConfigError('VOIP_EDGE_SIP_TRANSPORTS', 'lists no transport')

  const appBaseUrl = read(env, 'VOIP_EDGE_APP_BASE_URL', 'http://127.0.0.1:3333')
  if (!URL.canParse(appBaseUrl) || !/^https?:$/.test(new URL(appBaseUrl).protocol)) {
    throw new ConfigError('VOIP_EDGE_APP_BASE_URL', `must be an http(s) URL, got "${appBaseUrl}"`)
  }
  const signingSecret = read(env, 'VOIP_EDGE_SIGNING_SECRET')
  if (signingSecret.length < 32) {
    throw new ConfigError('VOIP_EDGE_SIGNING_SECRET', 'must be at least 32 characters')
  }
  const redisUrl = read(env, 'VOIP_EDGE_REDIS_URL', 'redis://127.0.0.1:6379')
  if (!URL.canParse(redisUrl) || !/^rediss?:$/.test(new URL(redisUrl).protocol)) {
    throw new ConfigError('VOIP_EDGE_REDIS_URL', `must be a redis:// URL, got "${redisUrl}"`)
  }
  const logLevel = read(env, 'VOIP_EDGE_LOG_LEVEL', 'info') as LogLevel
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError('VOIP_EDGE_LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`)
  }
  const digestAlgorithms = list(env, 'VOIP_EDGE_DIGEST_ALGORITHMS', 'SHA-256,MD5')
  for (const algorithm of digestAlgorithms) {
    if (algorithm !== 'MD5' && algorithm !== 'SHA-256') {
      throw new ConfigError('VOIP_EDGE_DIGEST_ALGORITHMS', `unsupported algorithm "${algorithm}"`)
    }
  }
  const registerMinExpires = int(env, 'VOIP_EDGE_REGISTER_MIN_EXPIRES', 60, 1, 86_400)
  const registerMaxExpires = int(env, 'VOIP_EDGE_REGISTER_MAX_EXPIRES', 3600, 1, 86_400)
  if (registerMaxExpires < registerMinExpires) {
    throw new ConfigError(
      'VOIP_EDGE_REGISTER_MAX_EXPIRES',
      'must be >= VOIP_EDGE_REGISTER_MIN_EXPIRES',
    )
  }

  const overridesText = read(env, 'VOIP_EDGE_TENANT_LIMITS', '{}')
  let overrides: Record<string, { maxCalls?: number; maxCps?: number }>
  try {
    overrides = JSON.parse(overridesText) as typeof overrides
    const valid = (value: unknown) =>
      value === undefined || (Number.isInteger(value) && (value as number) >= 0)
    if (
      typeof overrides !== 'object' ||
      overrides === null ||
      Array.isArray(overrides) ||
      !Object.values(overrides).every(
        (limit) =>
          typeof limit === 'object' &&
          limit !== null &&
          valid(limit.maxCalls) &&
          valid(limit.maxCps),
      )
    )
      throw new Error('shape')
  } catch {
    throw new ConfigError(
      'VOIP_EDGE_TENANT_LIMITS',
      'must be a JSON object {"<organizationId>": {"maxCalls": n, "maxCps": n}}',
    )
  }

  const optionalHostPort = (name: string) =>
    read(env, name, '-') === '-' ? null : hostPort(env, name, '-')
  return {
    sipHost,
    sipPort: int(env, 'VOIP_EDGE_SIP_PORT', 5060, 0, 65535),
    transports: [...new Set(transports)] as SipTransportName[],
    tls: transports.includes('tls')
      ? {
          port: int(env, 'VOIP_EDGE_TLS_PORT', 5061, 0, 65535),
          certFile: read(env, 'VOIP_EDGE_TLS_CERT_FILE'),
          keyFile: read(env, 'VOIP_EDGE_TLS_KEY_FILE'),
        }
      : null,
    wsPort: int(env, 'VOIP_EDGE_WS_PORT', 5066, 0, 65535),
    advertisedHost: read(env, 'VOIP_EDGE_ADVERTISED_HOST', sipHost),
    realmSuffix: read(env, 'VOIP_EDGE_REALM_SUFFIX', '-').replace(/^-$/, '').toLowerCase(),
    appBaseUrl,
    signingSecret,
    rtpengineNg: hostPort(env, 'VOIP_EDGE_RTPENGINE_NG', '127.0.0.1:22222'),
    rtpengineTimeoutMs: int(env, 'VOIP_EDGE_RTPENGINE_TIMEOUT_MS', 2000, 50, 60_000),
    rtpengineProbeMs: int(env, 'VOIP_EDGE_RTPENGINE_PROBE_MS', 1000, 100, 60_000),
    rtpengineReconcileMs: int(env, 'VOIP_EDGE_RTPENGINE_RECONCILE_MS', 5000, 500, 600_000),
    rtpengineGiveUpMs: int(env, 'VOIP_EDGE_RTPENGINE_GIVE_UP_MS', 30_000, 0, 3_600_000),
    maxServerTransactions: int(env, 'VOIP_EDGE_MAX_SERVER_TRANSACTIONS', 100_000, 0, 10_000_000),
    redisUrl,
    redisPrefix: read(env, 'VOIP_EDGE_REDIS_PREFIX', 'voip-edge:'),
    drainTimeoutMs: int(env, 'VOIP_EDGE_DRAIN_TIMEOUT_MS', 30_000, 0, 3_600_000),
    logLevel,
    sipMessageLog: bool(env, 'VOIP_EDGE_SIP_MESSAGE_LOG', false),
    digestAlgorithms: [...new Set(digestAlgorithms)] as DigestAlgorithm[],
    registerMinExpires,
    registerMaxExpires,
    allowIps: ipList(env, 'VOIP_EDGE_ALLOW_IPS'),
    blockIps: ipList(env, 'VOIP_EDGE_BLOCK_IPS'),
    credentialsFile: read(env, 'VOIP_EDGE_CREDENTIALS_FILE', '-').replace(/^-$/, '') || null,
    router: routerMode(env),
    signaling: signalingMode(env),
    cdrSpoolDir: read(env, 'VOIP_EDGE_CDR_SPOOL_DIR', '-').replace(/^-$/, '') || null,
    sessionUpdates: bool(env, 'VOIP_EDGE_SESSION_UPDATES', false),
    control: {
      host: read(env, 'VOIP_EDGE_CONTROL_HOST', '127.0.0.1'),
      port:
        read(env, 'VOIP_EDGE_CONTROL_PORT', '-') === '-'
          ? null
          : int(env, 'VOIP_EDGE_CONTROL_PORT', 0, 0, 65535),
    },
    media: {
      cacheDir: read(env, 'VOIP_EDGE_MEDIA_CACHE_DIR', join(tmpdir(), 'voip-edge-media')),
      dtmfListen: optionalHostPort('VOIP_EDGE_DTMF_LISTEN'),
      recordingDir: read(env, 'VOIP_EDGE_RECORDING_DIR', '-').replace(/^-$/, '') || null,
      sink: hostPort(env, 'VOIP_EDGE_MEDIA_SINK', '127.0.0.1:9'),
      cxmlConnectTimeoutMs: int(env, 'VOIP_EDGE_CXML_CONNECT_TIMEOUT_MS', 3000, 100, 60_000),
      cxmlTimeoutMs: int(env, 'VOIP_EDGE_CXML_TIMEOUT_MS', 8000, 100, 120_000),
      playMaxBytes: int(env, 'VOIP_EDGE_PLAY_MAX_BYTES', 10 * 1024 * 1024, 1024, 200 * 1024 * 1024),
      playTimeoutMs: int(env, 'VOIP_EDGE_PLAY_TIMEOUT_MS', 10_000, 100, 120_000),
    },
    tenantLimits: {
      maxCalls: int(env, 'VOIP_EDGE_TENANT_MAX_CALLS', 0, 0, 1_000_000),
      maxCps: int(env, 'VOIP_EDGE_TENANT_MAX_CPS', 0, 0, 100_000),
      overrides,
    },
    trunkNoResponseMs: int(env, 'VOIP_EDGE_TRUNK_NO_RESPONSE_MS', 4000, 100, 60_000),
    mwiUnsolicited: bool(env, 'VOIP_EDGE_MWI_UNSOLICITED', false),
  }
}
