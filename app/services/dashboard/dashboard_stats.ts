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

/** One chart bar: calls started in the bucket, split into answered and the rest. */
export type CallBucket = { start: string; total: number; answered: number }

export type CallSeries = { perHour: CallBucket[]; perDay: CallBucket[] }

export const SERIES_DAYS = 14

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
      series: canViewReports(viewer) ? await this.series(organization) : null,
    }
  }

  /**
   * Calls per hour of today and per day of the last SERIES_DAYS days, in the organization's
   * timezone, every bucket present (zero when quiet) so charts need no gap handling.
   */
  async series(organization: Organization, now: DateTime = DateTime.now()): Promise<CallSeries> {
    const zone = organization.timezone
    const today = now.setZone(zone).startOf('day')
    const firstDay = today.minus({ days: SERIES_DAYS - 1 })
    const bucketed = async (unit: 'hour' | 'day', from: DateTime) => {
      const rows: { bucket: string; total: string; answered: string }[] = await db
        .from('call_logs')
        .where('organization_id', organization.id)
        .where('initiated_at', '>=', from.toJSDate())
        .select(
          db.raw(
            `to_char(date_trunc(?, initiated_at AT TIME ZONE ?), 'YYYY-MM-DD"T"HH24') as bucket`,
            [unit, zone],
          ),
          db.raw('count(*) as total'),
          db.raw('count(*) filter (where answered_at is not null) as answered'),
        )
        .groupBy('bucket')
      return new Map(rows.map((r) => [r.bucket, r]))
    }
    const fill = (rows: Awaited<ReturnType<typeof bucketed>>, starts: DateTime[]) =>
      starts.map((start) => {
        const row = rows.get(start.toFormat("yyyy-LL-dd'T'HH"))
        return {
          start: start.toISO()!,
          total: Number(row?.total ?? 0),
          answered: Number(row?.answered ?? 0),
        }
      })
    const hours = await bucketed('hour', today)
    const days = await bucketed('day', firstDay)
    return {
      perHour: fill(
        hours,
        Array.from({ length: 24 }, (_, h) => today.plus({ hours: h })),
      ),
      perDay: fill(
        days,
        Array.from({ length: SERIES_DAYS }, (_, d) => firstDay.plus({ days: d })),
      ),
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
