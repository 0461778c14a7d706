import db from '@adonisjs/lucid/services/db'
import type Organization from '#models/organization'
import BusinessHoursSchedule from '#models/business_hours_schedule'
import BusinessHoursRule from '#models/business_hours_rule'
import BusinessHoursException from '#models/business_hours_exception'

let sequence = 0

/** A schedule with Mon–Fri 09:00–17:00 and one closed day, written straight to the database. */
export async function makeSchedule(
  organization: Organization,
  overrides: Partial<BusinessHoursSchedule> = {},
) {
  sequence += 1
  const schedule = await BusinessHoursSchedule.create({
    organizationId: organization.id,
    name: `Schedule ${sequence}`,
    timezone: 'UTC',
    status: 'active',
    openTargetType: 'hangup',
    openTargetId: null,
    closedTargetType: 'hangup',
    closedTargetId: null,
    ...overrides,
  })
  const owner = { organizationId: organization.id, scheduleId: schedule.id }
  await BusinessHoursRule.createMany(
    [1, 2, 3, 4, 5].map((dayOfWeek) => ({
      ...owner,
      dayOfWeek,
      startTime: '09:00',
      endTime: '17:00',
    })),
  )
  await BusinessHoursException.create({
    ...owner,
    date: '2026-12-25',
    name: 'Christmas',
    kind: 'closed',
    ranges: [],
  })
  return schedule
}

export async function makeSchedules(organization: Organization, count: number) {
  for (let i = 0; i < count; i++) await makeSchedule(organization)
}

/* Ring groups and IVR menus belong to other areas: rows inserted with their tables' columns. */
export async function makeRingGroup(organization: Organization, name = 'Sales') {
  const [row] = await db
    .table('ring_groups')
    .insert({
      organization_id: organization.id,
      name,
      created_at: new Date(),
      updated_at: new Date(),
    })
    .returning('id')
  return row.id as number
}

export async function makeIvrMenu(organization: Organization, name = 'Main menu') {
  const [row] = await db
    .table('ivr_menus')
    .insert({
      organization_id: organization.id,
      name,
      created_at: new Date(),
      updated_at: new Date(),
    })
    .returning('id')
  return row.id as number
}
