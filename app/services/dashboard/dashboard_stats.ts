import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type Organization from '#models/organization'
import type User from '#models/user'
import { canViewReports } from '#auth/rules'

export type CallStats = {
  today: number
  answered: number
  missed: number
  active: number
  since: string
}

/* A call not ended after this long is a lost hang-up event, not an active call. */
const ACTIVE_WINDOW_HOURS = 4

/**
 * The dashboard's figures for one organization, each one query. Call figures count the
 * organization's calls since local midnight in its own timezone, and are shown only to the
 * roles that see the whole organization's call history.
 */
export default class DashboardStats {
  async handle(organization: Organization, viewer: User) {
    const [users, extensions, numbers] = await Promise.all([
      this.#count('users', organization),
      this.#count('extensions', organization),
      this.#count('phone_numbers', organization),
    ])
    return {
      users,
      extensions,
      phoneNumbers: numbers,
      calls: canViewReports(viewer) ? await this.#calls(organization) : null,
    }
  }

  async #count(table: string, organization: Organization) {
    const [{ n }] = await db
      .from(table)
      .where('organization_id', organization.id)
      .whereNull('deleted_at')
      .count('* as n')
    return Number(n)
  }

  async #calls(organization: Organization): Promise<CallStats> {
    const since = DateTime.now().setZone(organization.timezone).startOf('day')
    const activeSince = DateTime.now().minus({ hours: ACTIVE_WINDOW_HOURS })
    const row = await db
      .from('call_logs')
      .where('organization_id', organization.id)
      .where((q) => q.where('initiated_at', '>=', since.toJSDate()).orWhereNull('ended_at'))
      .select(
        db.raw('count(*) filter (where initiated_at >= ?) as today', [since.toJSDate()]),
        db.raw(
          'count(*) filter (where initiated_at >= ? and answered_at is not null) as answered',
          [since.toJSDate()],
        ),
        db.raw(
          "count(*) filter (where initiated_at >= ? and status in ('busy','no_answer','canceled','failed')) as missed",
          [since.toJSDate()],
        ),
        db.raw(
          "count(*) filter (where ended_at is null and status in ('initiated','ringing','answered') and initiated_at >= ?) as active",
          [activeSince.toJSDate()],
        ),
      )
      .first()
    return {
      today: Number(row.today),
      answered: Number(row.answered),
      missed: Number(row.missed),
      active: Number(row.active),
      since: since.toISO()!,
    }
  }
}
