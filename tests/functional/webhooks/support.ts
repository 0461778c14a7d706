import { randomBytes, randomUUID } from 'node:crypto'
import db from '@adonisjs/lucid/services/db'
import env from '#start/env'
import WebhookSecret from '#models/webhook_secret'
import OrganizationSetting from '#models/organization_setting'
import { createTenant, type Tenant } from '#tests/helpers'
import type { TenantMode } from '#enums/settings'
import { signEdgeRequest } from '../../../voip-edge/src/events/signer.js'

export const EDGE_SECRET = () => env.get('VOIP_EDGE_SIGNING_SECRET')!.release()

export type WebhookTenant = Tenant & { secrets: string[]; domain: string }

/** A tenant with `secretCount` active webhook secrets (newest first) in the given mode. */
export async function webhookTenant(
  options: { mode?: TenantMode; secretCount?: number; domainName?: string } = {},
): Promise<WebhookTenant> {
  const tenant = await createTenant()
  const secrets: string[] = []
  for (let i = 0; i < (options.secretCount ?? 1); i++) {
    const secret = randomBytes(32).toString('base64url')
    await WebhookSecret.create({ organizationId: tenant.organization.id, secret })
    secrets.unshift(secret)
  }
  await OrganizationSetting.create({
    organizationId: tenant.organization.id,
    tenantMode: options.mode ?? 'cloudonix',
    domainName: options.domainName ?? null,
  })
  return { ...tenant, secrets, domain: tenant.organization.sipDomain }
}

export async function addNumber(organizationId: number, number: string) {
  const now = new Date()
  await db.table('phone_numbers').insert({
    organization_id: organizationId,
    number,
    status: 'active',
    routing_type: 'hangup',
    created_at: now,
    updated_at: now,
  })
}

export type PostOptions = {
  /** Sign with this secret (contract §6.2). */
  sign?: string
  bearer?: string
  domain?: string | null
  requestId?: string
  /** Seconds added to now for the signature timestamp. */
  skew?: number
  headers?: Record<string, string>
  /** Send this body instead of the signed one (tampering). */
  sendInstead?: string
}

export type WebhookResponse = { status: number; headers: Headers; text: string; json: any }

export async function post(path: string, body: unknown, options: PostOptions = {}) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body)
  const url = new URL(path, `http://127.0.0.1:${env.get('PORT')}`)
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...options.headers,
  }
  if (options.domain) headers['x-cx-domain'] = options.domain
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`
  if (options.sign) {
    const requestId = options.requestId ?? randomUUID()
    const timestamp = Math.floor(Date.now() / 1000) + (options.skew ?? 0)
    headers['x-edge-request-id'] = requestId
    headers['x-edge-timestamp'] = String(timestamp)
    headers['x-edge-signature'] =
      `v1=${signEdgeRequest(options.sign, timestamp, requestId, 'POST', url.pathname + url.search, raw)}`
  } else if (options.requestId) {
    headers['x-edge-request-id'] = options.requestId
  }
  const response = await fetch(url, { method: 'POST', headers, body: options.sendInstead ?? raw })
  const text = await response.text()
  let json: any = null
  try {
    json = JSON.parse(text)
  } catch {}
  return { status: response.status, headers: response.headers, text, json } as WebhookResponse
}

let sequence = 0
/** A session update in the contract's §3.2 shape for the given call token. */
export function sessionUpdate(domain: string, token: string, fields: Record<string, unknown>) {
  sequence++
  return {
    id: 21956157,
    token,
    eventId: randomUUID(),
    domainId: 1780,
    domain,
    callerId: '+14155550100',
    destination: '+14155550199',
    direction: 'incoming',
    status: 'processing',
    action: 'updated',
    reason: 'api',
    createdAt: '2025-12-30T10:09:39Z',
    modifiedAt: `2025-12-30T10:09:${String(40 + (sequence % 19)).padStart(2, '0')}Z`,
    callStartTime: 1767089379000,
    callAnswerTime: null,
    vappServer: '172.24.40.152',
    callIds: ['HKyZ31CbMhwnIZV2ScJJMQ..'],
    profile: {},
    ...fields,
  }
}

export function cdr(domain: string, token: string, fields: Record<string, unknown> = {}) {
  return {
    timestamp: 1767089441,
    call_id: `${token}@10.0.0.1:5060`,
    from: '+14155550100',
    to: '+14155550199',
    disposition: 'CONNECTED',
    duration: 62,
    billsec: 55,
    domain,
    session: {
      id: 21956157,
      token,
      domain,
      callStartTime: 1767089379000,
      callAnswerTime: 1767089386000,
      callEndTime: 1767089441000,
      status: 'connected',
    },
    ...fields,
  }
}

export const SESSION_UPDATE = '/api/webhooks/cloudonix/session-update'
export const CDR = '/api/webhooks/cloudonix/cdr'
