/**
 * REGISTER handling (RFC 3261 §10.3) for many tenants: the AOR's domain is the tenant's
 * realm, checks run cheapest-and-most-protective first (blocked source, unknown realm,
 * locked AOR) so that attackers never reach the credential store when they should not.
 */
import { parseCSeq, splitList } from '../sip/message.ts'
import type {
  InboundRegister,
  RegisterReply,
  ExtraHeader,
  SignalingPeer,
} from '../signaling/signaling_port.ts'
import { parseNameAddr, parseUri, formatNameAddr, UriError } from '../sip/uri.ts'
import type { Clock } from '../transaction/clock.ts'
import type { CredentialStore } from './credential_store.ts'
import type { DigestAuthenticator } from './authenticator.ts'
import type { BruteForceGuard } from './brute_force_guard.ts'
import type { Binding, BindingStore } from './binding_store.ts'

export interface RegistrarOptions {
  credentials: CredentialStore
  authenticator: DigestAuthenticator
  guard: BruteForceGuard
  bindings: BindingStore
  clock: Clock
  realmSuffix: string
  minExpires: number
  maxExpires: number
  edgeInstance: string
}

export interface RegisterResult {
  reply: RegisterReply
  /** Set when the request was authenticated, for logs and events. */
  organizationId?: string
  aor?: string
  outcome: 'registered' | 'challenged' | 'forbidden' | 'blocked' | 'unknown-realm' | 'invalid'
}

export class Registrar {
  readonly #options: RegistrarOptions

  constructor(options: RegistrarOptions) {
    this.#options = options
  }

  async handle(request: InboundRegister): Promise<RegisterResult> {
    const o = this.#options
    const source = request.source
    const reply = (
      status: number,
      outcome: RegisterResult['outcome'],
      reason?: string,
      headers: ExtraHeader[] = [],
    ): RegisterResult => ({
      reply: { status, reason, headers },
      outcome,
    })

    // Round trips to Redis dominate REGISTER latency: the IP and AOR checks go out together
    // (one write, one round trip). A blocked source still gets 403 before any credential
    // check, and whatever else is wrong with its request.
    const refuse = async (status: number, outcome: RegisterResult['outcome'], reason: string) =>
      (await o.guard.ipBlockedFor(source.address)) > 0
        ? reply(403, 'blocked', 'Forbidden')
        : reply(status, outcome, reason)

    let to
    try {
      to = parseNameAddr(request.headers('to')[0])
    } catch {
      return refuse(400, 'invalid', 'Bad To header')
    }
    const realm = to.uri.host
    const user = to.uri.user === null ? null : safeDecode(to.uri.user)
    if (user === null || to.uri.scheme === 'tel')
      return refuse(400, 'invalid', 'To must be a SIP AOR with a user part')
    if (o.realmSuffix !== '' && !realm.endsWith(o.realmSuffix))
      return refuse(404, 'unknown-realm', 'Unknown domain')
    const tenant = await o.credentials.resolveRealm(realm)
    if (!tenant) return refuse(404, 'unknown-realm', 'Unknown domain')
    const aor = `${user}@${realm}`
    const [ipTtl, aorTtl] = await Promise.all([
      o.guard.ipBlockedFor(source.address),
      o.guard.aorLockedFor(tenant.organizationId, aor),
    ])
    if (ipTtl > 0 || aorTtl > 0) return reply(403, 'blocked', 'Forbidden')
    // With credentials on board the bindings will most likely be needed: read them while the
    // nonce count is checked (same round trip).
    const prefetched =
      request.headers('authorization').length > 0
        ? o.bindings.list(tenant.organizationId, aor, o.clock.now())
        : null
    prefetched?.catch(() => undefined)

    const auth = await o.authenticator.authenticate(
      { method: 'REGISTER', headers: (name) => request.headers(name) },
      {
        realm,
        organizationId: tenant.organizationId,
        sourceIp: source.address,
        proxy: false,
        expectedUser: user,
      },
    )
    if (auth.kind === 'challenge') {
      return reply(
        401,
        'challenged',
        undefined,
        auth.challenges.map((value) => ({ name: 'www-authenticate', value })),
      )
    }
    if (auth.kind === 'forbidden') return reply(403, 'forbidden', auth.reason)

    const result = await this.#updateBindings(
      request,
      source,
      tenant.organizationId,
      aor,
      auth.credential.extensionId,
      prefetched,
    )
    if ('status' in result) return reply(result.status, 'invalid', result.reason, result.headers)
    const contacts = result.bindings.map((binding) => {
      const entry = parseNameAddr(`<${binding.contact}>`)
      entry.params.set(
        'expires',
        String(Math.max(0, Math.round((binding.expiresAt - o.clock.now()) / 1000))),
      )
      return { name: 'contact', value: formatNameAddr(entry) }
    })
    return {
      reply: {
        status: 200,
        headers: [...contacts, { name: 'date', value: new Date(o.clock.now()).toUTCString() }],
      },
      organizationId: tenant.organizationId,
      aor,
      outcome: 'registered',
    }
  }

  async #updateBindings(
    request: InboundRegister,
    source: SignalingPeer,
    organizationId: string,
    aor: string,
    extensionId: string,
    prefetched: Promise<Binding[]> | null,
  ): Promise<
    { bindings: Binding[] } | { status: number; reason: string; headers?: ExtraHeader[] }
  > {
    const o = this.#options
    const now = o.clock.now()
    const existing = await (prefetched ?? o.bindings.list(organizationId, aor, now))
    const contactValues = request.headers('contact').flatMap(splitList)
    const headerExpires = request.headers('expires')[0]
    const callId = request.headers('call-id')[0]
    const cseq = parseCSeq(request.headers('cseq')[0])!.seq

    if (contactValues.length === 0) return { bindings: existing }
    if (contactValues.includes('*')) {
      if (contactValues.length > 1 || headerExpires !== '0')
        return { status: 400, reason: 'Contact * requires Expires: 0 alone' }
      await o.bindings.removeAll(organizationId, aor)
      return { bindings: [] }
    }
    const upserts: Binding[] = []
    const removals: string[] = []
    for (const value of contactValues) {
      let entry
      try {
        entry = parseNameAddr(value)
        parseUri(
          value.includes('<')
            ? value.slice(value.indexOf('<') + 1, value.indexOf('>'))
            : value.split(';')[0],
        )
      } catch (error) {
        return {
          status: 400,
          reason: error instanceof UriError ? `Bad Contact: ${error.message}` : 'Bad Contact',
        }
      }
      const contact = value.includes('<')
        ? value.slice(value.indexOf('<') + 1, value.indexOf('>'))
        : value.split(';')[0].trim()
      const requested = Number(entry.params.get('expires') ?? headerExpires ?? '3600')
      const previous = existing.find((binding) => binding.contact === contact)
      if (previous && previous.callId === callId && previous.cseq >= cseq)
        return { status: 500, reason: 'Out of order REGISTER' }
      if (requested === 0) {
        removals.push(contact)
        continue
      }
      if (requested < o.minExpires) {
        return {
          status: 423,
          reason: 'Interval Too Brief',
          headers: [{ name: 'min-expires', value: String(o.minExpires) }],
        }
      }
      const q = entry.params.get('q')
      upserts.push({
        contact,
        expiresAt: now + Math.min(requested, o.maxExpires) * 1000,
        callId,
        cseq,
        q: q ? Number(q) : null,
        source,
        edgeInstance: o.edgeInstance,
        extensionId,
      })
    }
    return {
      bindings: await o.bindings.apply(organizationId, aor, existing, upserts, removals, now),
    }
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
