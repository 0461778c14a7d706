import type { HttpContext } from '@adonisjs/core/http'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import AuditLog from '#models/audit_log'

export type AuditEntry = {
  action: string
  subjectType?: string
  subjectId?: string | number
  before?: Record<string, unknown> | null
  after?: Record<string, unknown> | null
  metadata?: Record<string, unknown>
}

type Actor = {
  organizationId: number | null
  actorUserId: number | null
  impersonatorStaffId: number | null
  ip: string | null
  userAgent: string | null
  requestId: string | null
}

/* Keys whose string values never reach the audit trail, at any depth (flags such as
 * `hasPin` stay readable). */
const SECRET_KEY = /(password|secret|token|api_?key|pin)$/i

export function maskSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => maskSecrets(v)) as T
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) && typeof v === 'string' ? '[redacted]' : maskSecrets(v),
      ]),
    ) as T
  }
  return value
}

/**
 * Writes audit rows (secret-looking fields masked). Actor, tenant, impersonator and request facts come from the
 * request context so no caller can forget them; pass the transaction when the audited
 * change is part of one, so the row commits or rolls back with it.
 */
export default class AuditTrail {
  static fromRequest(ctx: HttpContext): Actor {
    return {
      organizationId: ctx.organization?.id ?? null,
      actorUserId: ctx.currentUser?.id ?? null,
      impersonatorStaffId: ctx.impersonation?.staffId ?? null,
      ip: ctx.request.ip(),
      userAgent: ctx.request.header('user-agent')?.slice(0, 512) ?? null,
      requestId: ctx.requestId ?? null,
    }
  }

  static async record(actor: Actor, entry: AuditEntry, trx?: TransactionClientContract) {
    return AuditLog.create(
      {
        ...actor,
        action: entry.action,
        subjectType: entry.subjectType ?? null,
        subjectId: entry.subjectId === undefined ? null : String(entry.subjectId),
        before: maskSecrets(entry.before ?? null),
        after: maskSecrets(entry.after ?? null),
        metadata: maskSecrets(entry.metadata ?? null),
      },
      { client: trx },
    )
  }

  static async recordForRequest(
    ctx: HttpContext,
    entry: AuditEntry,
    trx?: TransactionClientContract,
  ) {
    return AuditTrail.record(AuditTrail.fromRequest(ctx), entry, trx)
  }
}
