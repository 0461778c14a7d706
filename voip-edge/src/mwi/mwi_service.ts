/**
 * Message waiting indication (RFC 3842 over RFC 6665): phones SUBSCRIBE to
 * `message-summary` for their own AOR (digest-authenticated like REGISTER, and only for the
 * user they authenticate as), get 200 and an immediate NOTIFY with the counts, and a NOTIFY
 * whenever the app reports a change. With `unsolicited`, registered phones that never
 * subscribed are sent the same NOTIFY outside any dialog (what many desk phones expect).
 */
import { randomBytes } from 'node:crypto'
import type { Logger } from 'pino'
import { formatUri, parseNameAddr } from '../sip/uri.ts'
import type { Clock } from '../transaction/clock.ts'
import type { CredentialStore } from '../registrar/credential_store.ts'
import type { DigestAuthenticator } from '../registrar/authenticator.ts'
import type { BruteForceGuard } from '../registrar/brute_force_guard.ts'
import type { BindingStore } from '../registrar/binding_store.ts'
import type {
  DialogRequestOptions,
  InboundSubscribe,
  SubscribeReply,
} from '../signaling/signaling_port.ts'
import { MESSAGE_SUMMARY_TYPE, messageSummary, type MailboxCounts } from './message_summary.ts'
import { type MwiSubscriptionStore, type MwiSubscription } from './subscription_store.ts'
import type { MailboxCountsSource } from './mailbox_counts.ts'

export const MWI_MIN_EXPIRES = 60
export const MWI_MAX_EXPIRES = 3600
const EVENT = 'message-summary'

export interface MwiServiceOptions {
  send(options: DialogRequestOptions): Promise<number>
  credentials: CredentialStore
  authenticator: DigestAuthenticator
  guard: BruteForceGuard
  bindings: BindingStore
  store: MwiSubscriptionStore
  counts: MailboxCountsSource
  clock: Clock
  logger: Logger
  realmSuffix: string
  unsolicited: boolean
}

export interface MwiUpdate extends MailboxCounts {
  organizationId: string
  /** `<sip username>@<realm>`, as phones register it. */
  aor: string
}

const tag = () => randomBytes(6).toString('hex')

function reply(status: number, reason?: string, headers: SubscribeReply['headers'] = []) {
  return { status, reason, headers }
}

export class MwiService {
  readonly #o: MwiServiceOptions

  constructor(options: MwiServiceOptions) {
    this.#o = options
  }

  async handleSubscribe(subscribe: InboundSubscribe): Promise<SubscribeReply> {
    const o = this.#o
    const event = (subscribe.headers('event')[0] ?? '').split(';')[0].trim().toLowerCase()
    if (event !== EVENT) return reply(489, 'Bad Event', [{ name: 'allow-events', value: EVENT }])
    if ((await o.guard.ipBlockedFor(subscribe.source.address)) > 0) return reply(403, 'Forbidden')
    let to
    try {
      to = parseNameAddr(subscribe.headers('to')[0] ?? '')
      parseNameAddr(subscribe.headers('from')[0] ?? '')
    } catch {
      return reply(400, 'Bad To or From header')
    }
    if (to.uri.user === null || to.uri.scheme === 'tel' || !subscribe.fromTag)
      return reply(400, 'To must be a SIP AOR with a user part')
    const realm = to.uri.host.toLowerCase()
    const user = safeDecode(to.uri.user)
    if (o.realmSuffix !== '' && !realm.endsWith(o.realmSuffix)) return reply(404, 'Unknown domain')
    const tenant = await o.credentials.resolveRealm(realm)
    if (!tenant) return reply(404, 'Unknown domain')
    const auth = await o.authenticator.authenticate(
      { method: 'SUBSCRIBE', headers: (name) => subscribe.headers(name) },
      {
        realm,
        organizationId: tenant.organizationId,
        sourceIp: subscribe.source.address,
        proxy: false,
        expectedUser: user,
      },
    )
    if (auth.kind === 'challenge')
      return reply(
        401,
        undefined,
        auth.challenges.map((value) => ({ name: 'www-authenticate', value })),
      )
    if (auth.kind === 'forbidden') return reply(403, auth.reason)

    const aor = `${user}@${realm}`
    const header = subscribe.headers('expires')[0]
    const requested = header !== undefined && /^\d+$/.test(header.trim()) ? Number(header) : 3600
    if (requested > 0 && requested < MWI_MIN_EXPIRES)
      return reply(423, 'Interval Too Brief', [
        { name: 'min-expires', value: String(MWI_MIN_EXPIRES) },
      ])
    const expires = Math.min(requested, MWI_MAX_EXPIRES)
    const now = o.clock.now()
    let subscription: MwiSubscription
    if (subscribe.toTag !== null) {
      const existing = await o.store.find(
        tenant.organizationId,
        aor,
        subscribe.callId,
        subscribe.fromTag,
        now,
      )
      if (!existing || existing.toTag !== subscribe.toTag)
        return reply(481, 'Subscription Does Not Exist')
      subscription = { ...existing, expiresAt: now + expires * 1000 }
    } else {
      const contact = subscribe.headers('contact')[0]
      let target: string
      try {
        target = contact ? formatUri(parseNameAddr(contact).uri) : ''
      } catch {
        return reply(400, 'Bad Contact')
      }
      if (!target) return reply(400, 'SUBSCRIBE needs a Contact')
      subscription = {
        callId: subscribe.callId,
        fromTag: subscribe.fromTag,
        toTag: tag(),
        local: `<sip:${aor}>`,
        remote: subscribe.headers('from')[0],
        target,
        peer: subscribe.source,
        expiresAt: now + expires * 1000,
      }
    }
    if (expires === 0)
      await o.store.remove(tenant.organizationId, aor, subscription.callId, subscription.fromTag)
    else await o.store.save(tenant.organizationId, aor, subscription, now)
    // The NOTIFY follows the 200 (RFC 6665 §4.2.1.2), which the port sends when this returns.
    setTimeout(() => {
      void this.#notifySubscriber(tenant.organizationId, aor, subscription, user, expires === 0)
    }, 0)
    return {
      status: 200,
      headers: [{ name: 'expires', value: String(expires) }],
      toTag: subscription.toTag,
    }
  }

  /**
   * New counts from the app: remembered, sent to every live subscription of the AOR and,
   * when configured, to registered contacts that did not subscribe. Resolves with the
   * number of NOTIFYs answered 2xx.
   */
  async update(update: MwiUpdate): Promise<{ notified: number; subscriptions: number }> {
    const o = this.#o
    const counts = { newMessages: update.newMessages, oldMessages: update.oldMessages }
    await o.store.setCounts(update.organizationId, update.aor, counts)
    const now = o.clock.now()
    const subscriptions = await o.store.list(update.organizationId, update.aor, now)
    const results = await Promise.all(
      subscriptions.map((subscription) =>
        this.#notify(update.organizationId, update.aor, subscription, counts, false),
      ),
    )
    if (o.unsolicited) {
      const subscribed = new Set(subscriptions.map((subscription) => subscription.target))
      const bindings = await o.bindings.list(update.organizationId, update.aor, now)
      for (const binding of bindings.filter((b) => !subscribed.has(b.contact))) {
        results.push(
          await o.send({
            method: 'NOTIFY',
            target: binding.contact,
            peer: binding.source,
            callId: `${tag()}@mwi`,
            from: `<sip:${update.aor}>;tag=${tag()}`,
            to: `<sip:${update.aor}>`,
            cseq: 1,
            headers: [
              { name: 'event', value: EVENT },
              { name: 'subscription-state', value: 'active' },
              { name: 'content-type', value: MESSAGE_SUMMARY_TYPE },
            ],
            body: messageSummary(`sip:${update.aor}`, counts),
          }),
        )
      }
    }
    return {
      notified: results.filter((status) => status >= 200 && status < 300).length,
      subscriptions: subscriptions.length,
    }
  }

  async #notifySubscriber(
    organizationId: string,
    aor: string,
    subscription: MwiSubscription,
    username: string,
    terminated: boolean,
  ) {
    const o = this.#o
    try {
      let counts = await o.store.counts(organizationId, aor)
      if (!counts) {
        counts = (await o.counts.counts(organizationId, username)) ?? {
          newMessages: 0,
          oldMessages: 0,
        }
        await o.store.setCounts(organizationId, aor, counts)
      }
      await this.#notify(organizationId, aor, subscription, counts, terminated)
    } catch (error) {
      o.logger.warn({ err: error, organizationId, aor }, 'mwi: initial NOTIFY not sent')
    }
  }

  async #notify(
    organizationId: string,
    aor: string,
    subscription: MwiSubscription,
    counts: MailboxCounts,
    terminated: boolean,
  ): Promise<number> {
    const o = this.#o
    const left = Math.max(0, Math.round((subscription.expiresAt - o.clock.now()) / 1000))
    const status = await o.send({
      method: 'NOTIFY',
      target: subscription.target,
      peer: subscription.peer,
      callId: subscription.callId,
      from: `${subscription.local};tag=${subscription.toTag}`,
      to: subscription.remote,
      cseq: await o.store.nextCseq(subscription.callId, subscription.fromTag),
      headers: [
        { name: 'event', value: EVENT },
        {
          name: 'subscription-state',
          value: terminated ? 'terminated;reason=timeout' : `active;expires=${left}`,
        },
        { name: 'content-type', value: MESSAGE_SUMMARY_TYPE },
      ],
      body: messageSummary(`sip:${aor}`, counts),
    })
    // The phone forgot the subscription (rebooted): stop notifying it (RFC 6665 §4.1.3).
    if (status === 481)
      await o.store.remove(organizationId, aor, subscription.callId, subscription.fromTag)
    o.logger.debug({ organizationId, aor, status, ...counts }, 'mwi NOTIFY sent')
    return status
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
