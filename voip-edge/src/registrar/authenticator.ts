/**
 * Digest authentication of a request against a tenant's credentials, shared by REGISTER
 * (401/WWW-Authenticate) and INVITE (407/Proxy-Authenticate). Unknown users and wrong
 * passwords take the same path, cost the same hashing, and get the same answer.
 */
import type { DigestAlgorithm } from '../config.ts'
import type { CredentialStore, SipCredential } from './credential_store.ts'
import {
  buildChallenge,
  computeResponse,
  parseDigestAuthorization,
  responsesEqual,
  type DigestCredentials,
} from './digest.ts'
import type { NonceCounter, NonceManager } from './nonce.ts'
import type { BruteForceGuard } from './brute_force_guard.ts'

export type AuthOutcome =
  | { kind: 'ok'; credential: SipCredential; username: string }
  /** Send 401/407 with these challenge header values. */
  | { kind: 'challenge'; challenges: string[] }
  | { kind: 'forbidden'; reason: string }

/** What authentication needs from a request, whichever stack it came from. */
export interface AuthRequest {
  method: string
  headers(name: string): string[]
}

export interface AuthenticatorDeps {
  credentials: CredentialStore
  nonces: NonceManager
  counter: NonceCounter
  guard: BruteForceGuard
  algorithms: DigestAlgorithm[]
}

const DUMMY_PASSWORD = 'voip-edge-no-such-user-\u0000'

export class DigestAuthenticator {
  readonly #deps: AuthenticatorDeps

  constructor(deps: AuthenticatorDeps) {
    this.#deps = deps
  }

  challenges(realm: string, stale: boolean): string[] {
    return this.#deps.algorithms.map((algorithm) =>
      buildChallenge({ realm, nonce: this.#deps.nonces.issue(realm), algorithm, stale }),
    )
  }

  /**
   * @param expectedUser the user part the credentials must belong to (the AOR for REGISTER,
   * the From user for INVITE): one extension's password must not register another.
   */
  async authenticate(
    request: AuthRequest,
    options: {
      realm: string
      organizationId: string
      sourceIp: string
      proxy: boolean
      expectedUser: string
    },
  ): Promise<AuthOutcome> {
    const headerName = options.proxy ? 'proxy-authorization' : 'authorization'
    const supplied = request
      .headers(headerName)
      .map(parseDigestAuthorization)
      .find(
        (candidate): candidate is DigestCredentials =>
          candidate !== null && candidate.realm.toLowerCase() === options.realm,
      )
    // qop=auth is required: without a nonce-count there is no replay protection.
    if (!supplied || supplied.qop === null || !this.#deps.algorithms.includes(supplied.algorithm)) {
      return { kind: 'challenge', challenges: this.challenges(options.realm, false) }
    }
    const verdict = this.#deps.nonces.verify(supplied.nonce, options.realm)
    if (verdict === 'invalid')
      return { kind: 'challenge', challenges: this.challenges(options.realm, false) }

    const credential = await this.#deps.credentials.lookup(options.realm, supplied.username)
    const password = credential?.password ?? DUMMY_PASSWORD
    const expected = computeResponse({ ...supplied, password, method: request.method })
    const matches = responsesEqual(expected, supplied.response)
    const rightUser = supplied.username === options.expectedUser
    if (
      !credential ||
      !matches ||
      !rightUser ||
      credential.organizationId !== options.organizationId
    ) {
      await this.#deps.guard.recordFailure(
        options.sourceIp,
        options.organizationId,
        `${options.expectedUser}@${options.realm}`,
      )
      return { kind: 'forbidden', reason: 'Forbidden' }
    }
    // Right password, but an old nonce or a replayed count: ask again without counting a
    // failure (RFC 7616 §3.3 stale=true), so well-behaved phones retry silently.
    if (verdict === 'stale')
      return { kind: 'challenge', challenges: this.challenges(options.realm, true) }
    // The count check and the success reset of the failure counters in one round trip.
    const clear = this.#deps.guard.successKeys(
      options.sourceIp,
      options.organizationId,
      `${options.expectedUser}@${options.realm}`,
    )
    if (!(await this.#deps.counter.accept(supplied.nonce, supplied.nc!, clear))) {
      return { kind: 'challenge', challenges: this.challenges(options.realm, true) }
    }
    return { kind: 'ok', credential, username: supplied.username }
  }
}
