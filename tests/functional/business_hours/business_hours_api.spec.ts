import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import references from '#services/references/reference_registry'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { makeSchedule } from '#tests/functional/business_hours/support'

type ErrorBody = { error: { details: { fields: { field: string; rule: string }[] } } }
const fieldsOf = (body: ErrorBody) => body.error.details.fields.map((f) => f.field)

test.group('Business hours API', (group) => {
  isolate(group)

  test('creates a schedule with ranges, exceptions and targets, and audits it', async ({
    client,
    assert,
  }) => {
    const { admin, organization } = await createTenant()
    organization.timezone = 'Europe/Paris'
    await organization.save()
    const reception = await makeExtension(organization)
    const response = await client
      .post('/api/v1/business-hours')
      .bearerToken(await tokenFor(admin))
      .json({
        name: 'Office',
        rules: [
          { dayOfWeek: 1, start: '13:00', end: '17:00' },
          { dayOfWeek: 1, start: '09:00', end: '12:00' },
          { dayOfWeek: 6, start: '20:00', end: '24:00' },
        ],
        exceptions: [
          { date: '2026-12-25', name: 'Christmas', kind: 'closed' },
          {
            date: '2026-12-24',
            name: 'Christmas Eve',
            kind: 'special',
            ranges: [{ start: '09:00', end: '12:00' }],
          },
        ],
        openTarget: { type: 'extension', id: reception.id },
        closedTarget: { type: 'voicemail', id: reception.id },
      })
    response.assertStatus(201)
    const data = response.body().data
    assert.containsSubset(data, {
      name: 'Office',
      timezone: 'Europe/Paris',
      status: 'active',
      organizationId: organization.id,
      openTarget: { type: 'extension', id: reception.id },
      closedTarget: { type: 'voicemail', id: reception.id },
    })
    assert.deepEqual(data.rules, [
      { dayOfWeek: 1, start: '09:00', end: '12:00' },
      { dayOfWeek: 1, start: '13:00', end: '17:00' },
      { dayOfWeek: 6, start: '20:00', end: '24:00' },
    ])
    assert.deepEqual(data.exceptions, [
      {
        date: '2026-12-24',
        name: 'Christmas Eve',
        kind: 'special',
        ranges: [{ start: '09:00', end: '12:00' }],
      },
      { date: '2026-12-25', name: 'Christmas', kind: 'closed', ranges: [] },
    ])
    const rows = await db.from('business_hours_rules').where('schedule_id', data.id)
    assert.lengthOf(rows, 3)
    assert.isTrue(rows.every((r) => r.organization_id === organization.id))
    const audit = await AuditLog.query()
      .where('action', 'business_hours_schedule.created')
      .where('subject_id', String(data.id))
      .firstOrFail()
    assert.equal(audit.actorUserId, admin.id)
    assert.lengthOf((audit.after as { rules: unknown[] }).rules, 3)
  })

  test('without targets both default to hang up; an explicit time zone is kept', async ({
    client,
    assert,
  }) => {
    const { owner } = await createTenant()
    const response = await client
      .post('/api/v1/business-hours')
      .bearerToken(await tokenFor(owner))
      .json({ name: 'Night', timezone: 'America/New_York' })
    response.assertStatus(201)
    assert.containsSubset(response.body().data, {
      timezone: 'America/New_York',
      openTarget: { type: 'hangup', id: null },
      closedTarget: { type: 'hangup', id: null },
      rules: [],
      exceptions: [],
    })
  })

  test('rejects invalid times, zones, overlaps and exceptions field by field', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    await makeSchedule(organization, { name: 'Taken' })
    const response = await client
      .post('/api/v1/business-hours')
      .bearerToken(await tokenFor(owner))
      .json({
        name: 'taken',
        timezone: 'Mars/Olympus',
        rules: [
          { dayOfWeek: 7, start: '09:00', end: '10:00' },
          { dayOfWeek: 1, start: '9:00', end: '10:00' },
          { dayOfWeek: 2, start: '12:00', end: '12:00' },
          { dayOfWeek: 3, start: '10:00', end: '24:30' },
        ],
        exceptions: [
          { date: '2026-02-30', name: 'Nope', kind: 'closed' },
          { date: '2026-05-01', name: 'Half day', kind: 'special' },
          {
            date: '2026-05-02',
            name: 'Closed',
            kind: 'closed',
            ranges: [{ start: '09:00', end: '10:00' }],
          },
        ],
      })
    response.assertStatus(422)
    assert.sameMembers(fieldsOf(response.body()), [
      'name',
      'timezone',
      'rules.0.dayOfWeek',
      'rules.1.start',
      'rules.2.end',
      'rules.3.end',
      'exceptions.0.date',
      'exceptions.1.ranges',
      'exceptions.2.ranges',
    ])
  })

  test('rejects overlapping ranges of a day and two exceptions on one date', async ({
    client,
    assert,
  }) => {
    const { owner } = await createTenant()
    const response = await client
      .post('/api/v1/business-hours')
      .bearerToken(await tokenFor(owner))
      .json({
        name: 'Overlaps',
        rules: [
          { dayOfWeek: 1, start: '09:00', end: '12:00' },
          { dayOfWeek: 1, start: '11:30', end: '13:00' },
          /* Touching ranges and the same hours on another day are fine. */
          { dayOfWeek: 2, start: '09:00', end: '12:00' },
          { dayOfWeek: 2, start: '12:00', end: '13:00' },
        ],
        exceptions: [
          { date: '2026-05-01', name: 'A', kind: 'closed' },
          {
            date: '2026-05-02',
            name: 'C',
            kind: 'special',
            ranges: [
              { start: '09:00', end: '11:00' },
              { start: '10:00', end: '12:00' },
            ],
          },
        ],
      })
    response.assertStatus(422)
    const fields = response.body().error.details.fields
    assert.sameMembers(
      fields.map((f: { field: string; rule: string }) => `${f.field}:${f.rule}`),
      ['rules:overlap', 'exceptions.1.ranges:overlap'],
    )

    const twice = await client
      .post('/api/v1/business-hours')
      .bearerToken(await tokenFor(owner))
      .json({
        name: 'Twice',
        exceptions: [
          { date: '2026-05-01', name: 'A', kind: 'closed' },
          { date: '2026-05-01', name: 'B', kind: 'closed' },
        ],
      })
    twice.assertStatus(422)
    assert.deepEqual(twice.body().error.details.fields[0].rule, 'distinct')
    assert.deepEqual(fieldsOf(twice.body()), ['exceptions'])
  })

  test('validates routing targets per type within the organization', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const other = await createTenant()
    const foreign = await makeExtension(other.organization)
    const deleted = await makeExtension(organization, { deletedAt: foreign.createdAt })
    const mine = await makeExtension(organization)
    const post = (openTarget: object, closedTarget: object) =>
      client
        .post('/api/v1/business-hours')
        .bearerToken(token)
        .json({ name: 'Targets', openTarget, closedTarget })
    const token = await tokenFor(owner)

    const missing = await post({ type: 'extension' }, { type: 'hangup', id: mine.id })
    missing.assertStatus(422)
    assert.sameMembers(fieldsOf(missing.body()), ['openTarget.id', 'closedTarget.id'])

    const wrong = await post(
      { type: 'extension', id: foreign.id },
      { type: 'voicemail', id: deleted.id },
    )
    wrong.assertStatus(422)
    assert.sameMembers(fieldsOf(wrong.body()), ['openTarget.id', 'closedTarget.id'])

    /* An extension id is not a conference room id. */
    const kind = await post({ type: 'conference_room', id: mine.id }, { type: 'queue' })
    kind.assertStatus(422)
    assert.sameMembers(fieldsOf(kind.body()), ['openTarget.id', 'closedTarget.type'])
  })

  test('update replaces only the lists that are sent, and audits before and after', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const schedule = await makeSchedule(organization, { name: 'Office' })
    const token = await tokenFor(owner)
    const response = await client
      .patch(`/api/v1/business-hours/${schedule.id}`)
      .bearerToken(token)
      .json({ rules: [{ dayOfWeek: 0, start: '10:00', end: '14:00' }], status: 'inactive' })
    response.assertStatus(200)
    const data = response.body().data
    assert.deepEqual(data.rules, [{ dayOfWeek: 0, start: '10:00', end: '14:00' }])
    assert.lengthOf(data.exceptions, 1, 'exceptions were not sent: kept')
    assert.equal(data.status, 'inactive')
    const stored = await db.from('business_hours_rules').where('schedule_id', schedule.id)
    assert.lengthOf(stored, 1)

    const cleared = await client
      .put(`/api/v1/business-hours/${schedule.id}`)
      .bearerToken(token)
      .json({ exceptions: [], name: 'Office' })
    cleared.assertStatus(200)
    assert.deepEqual(cleared.body().data.exceptions, [])
    assert.lengthOf(cleared.body().data.rules, 1)
    assert.notEqual(cleared.body().data.updatedAt, data.updatedAt, 'children changed: touched')

    const audit = await AuditLog.query()
      .where('action', 'business_hours_schedule.updated')
      .where('subject_id', String(schedule.id))
      .orderBy('id')
      .firstOrFail()
    assert.lengthOf((audit.before as { rules: unknown[] }).rules, 5)
    assert.lengthOf((audit.after as { rules: unknown[] }).rules, 1)
  })

  test('update rejects nulls for required fields and a name used by another schedule', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const schedule = await makeSchedule(organization)
    await makeSchedule(organization, { name: 'Other' })
    const response = await client
      .patch(`/api/v1/business-hours/${schedule.id}`)
      .bearerToken(await tokenFor(owner))
      .json({ name: 'OTHER', timezone: null, rules: null, openTarget: null })
    response.assertStatus(422)
    assert.sameMembers(fieldsOf(response.body()), ['name', 'timezone', 'rules', 'openTarget'])
    const same = await client
      .patch(`/api/v1/business-hours/${schedule.id}`)
      .bearerToken(await tokenFor(owner))
      .json({ name: schedule.name })
    same.assertStatus(200)
  })

  test('status says open or closed at an instant, why, and where calls go', async ({
    client,
    assert,
  }) => {
    const { user, organization } = await createTenant()
    const desk = await makeExtension(organization)
    const schedule = await makeSchedule(organization, {
      timezone: 'America/New_York',
      openTargetType: 'extension',
      openTargetId: desk.id,
      closedTargetType: 'hangup',
    })
    const token = await tokenFor(user)
    const status = (at?: string) =>
      client
        .get(`/api/v1/business-hours/${schedule.id}/status`)
        .qs(at ? { at } : {})
        .bearerToken(token)

    /* Monday 2026-11-23 10:00 in New York (EST). */
    const open = await status('2026-11-23T15:00:00Z')
    open.assertStatus(200)
    assert.deepEqual(open.body().data, {
      open: true,
      at: '2026-11-23T15:00:00.000Z',
      localTime: '2026-11-23T10:00:00.000-05:00',
      timezone: 'America/New_York',
      reason: 'weekly',
      target: { type: 'extension', id: desk.id },
    })
    const evening = await status('2026-11-23T17:30:00-05:00')
    assert.containsSubset(evening.body().data, {
      open: false,
      reason: 'weekly',
      target: { type: 'hangup', id: null },
    })
    /* Saturday morning in New York. */
    assert.equal((await status('2026-11-28T15:00:00Z')).body().data.reason, 'closed_all_day')
    /* Christmas (the seeded closed exception), a Friday. */
    const christmas = await status('2026-12-25T15:00:00Z')
    assert.containsSubset(christmas.body().data, { open: false, reason: 'exception' })
    ;(await status()).assertStatus(200)
    const naive = await status('2026-11-23T10:00:00')
    naive.assertStatus(422)
    assert.deepEqual(fieldsOf(naive.body()), ['at'])
    ;(await status('tomorrow')).assertStatus(422)
  })

  test('duplicate copies ranges, exceptions and targets under a free " (copy)" name', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const schedule = await makeSchedule(organization, {
      name: 'Office',
      timezone: 'Europe/London',
    })
    const token = await tokenFor(owner)
    const first = await client
      .post(`/api/v1/business-hours/${schedule.id}/duplicate`)
      .bearerToken(token)
    first.assertStatus(201)
    const copy = first.body().data
    assert.equal(copy.name, 'Office (copy)')
    assert.notEqual(copy.id, schedule.id)
    assert.equal(copy.timezone, 'Europe/London')
    assert.lengthOf(copy.rules, 5)
    assert.deepEqual(
      copy.exceptions.map((e: { date: string }) => e.date),
      ['2026-12-25'],
    )
    const second = await client
      .post(`/api/v1/business-hours/${schedule.id}/duplicate`)
      .bearerToken(token)
    assert.equal(second.body().data.name, 'Office (copy 2)')
    const originalRules = await db.from('business_hours_rules').where('schedule_id', schedule.id)
    assert.lengthOf(originalRules, 5)
    const audit = await AuditLog.query()
      .where('action', 'business_hours_schedule.created')
      .where('subject_id', String(copy.id))
      .firstOrFail()
    assert.deepEqual(audit.metadata, { duplicatedFrom: schedule.id })
  })

  test('soft-deletes and restores; a restore whose name was reused is a 409', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const schedule = await makeSchedule(organization, { name: 'Office' })
    const token = await tokenFor(owner)
    ;(await client.delete(`/api/v1/business-hours/${schedule.id}`).bearerToken(token)).assertStatus(
      204,
    )
    const raw = await db.from('business_hours_schedules').where('id', schedule.id).firstOrFail()
    assert.isNotNull(raw.deleted_at)
    assert.lengthOf(await db.from('business_hours_rules').where('schedule_id', schedule.id), 5)
    ;(await client.get(`/api/v1/business-hours/${schedule.id}`).bearerToken(token)).assertStatus(
      404,
    )
    const listed = await client.get('/api/v1/business-hours').bearerToken(token)
    assert.lengthOf(listed.body().data, 0)
    const trashed = await client
      .get('/api/v1/business-hours')
      .qs({ trashed: 'only' })
      .bearerToken(token)
    assert.deepEqual(
      trashed.body().data.map((s: { id: number }) => s.id),
      [schedule.id],
    )

    const clash = await makeSchedule(organization, { name: 'office' })
    const refused = await client
      .post(`/api/v1/business-hours/${schedule.id}/restore`)
      .bearerToken(token)
    refused.assertStatus(409)
    await clash.delete()
    const restored = await client
      .post(`/api/v1/business-hours/${schedule.id}/restore`)
      .bearerToken(token)
    restored.assertStatus(200)
    assert.isNull(restored.body().data.deletedAt)
    assert.lengthOf(restored.body().data.rules, 5)
    ;(
      await client.post(`/api/v1/business-hours/${schedule.id}/restore`).bearerToken(token)
    ).assertStatus(404)
    const actions = await AuditLog.query()
      .where('subject_type', 'business_hours_schedule')
      .where('subject_id', String(schedule.id))
      .orderBy('id')
    assert.deepEqual(
      actions.map((a) => a.action),
      ['business_hours_schedule.deleted', 'business_hours_schedule.restored'],
    )
  })

  test('a schedule still routed through cannot be deleted: 409 listing the references', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const schedule = await makeSchedule(organization)
    references.register('business_hours_schedule', async (organizationId, id) =>
      organizationId === organization.id && id === schedule.id
        ? [{ type: 'phone_number', id: 7, name: '+442071234567' }]
        : [],
    )
    const response = await client
      .delete(`/api/v1/business-hours/${schedule.id}`)
      .bearerToken(await tokenFor(owner))
    response.assertStatus(409)
    assert.equal(response.body().error.code, 'E_RESOURCE_IN_USE')
    assert.deepEqual(response.body().error.details.references, [
      { type: 'phone_number', id: 7, name: '+442071234567' },
    ])
    const raw = await db.from('business_hours_schedules').where('id', schedule.id).firstOrFail()
    assert.isNull(raw.deleted_at)
  })

  test('lists with pagination, status filter, search and sort; unknown sort is a 422', async ({
    client,
    assert,
  }) => {
    const { reporter, organization } = await createTenant()
    await makeSchedule(organization, { name: 'Charlie' })
    await makeSchedule(organization, { name: 'alpha 50%' })
    await makeSchedule(organization, { name: 'Bravo', status: 'inactive' })
    const token = await tokenFor(reporter)
    const list = (qs: object) => client.get('/api/v1/business-hours').qs(qs).bearerToken(token)
    const names = async (qs: object) =>
      (await list(qs)).body().data.map((s: { name: string }) => s.name)

    assert.deepEqual(await names({}), ['alpha 50%', 'Bravo', 'Charlie'])
    assert.deepEqual(await names({ sort: '-name' }), ['Charlie', 'Bravo', 'alpha 50%'])
    assert.deepEqual(await names({ sort: 'created_at' }), ['Charlie', 'alpha 50%', 'Bravo'])
    assert.deepEqual(await names({ status: 'inactive' }), ['Bravo'])
    assert.deepEqual(await names({ search: '50%' }), ['alpha 50%'])
    const paged = await list({ perPage: 2, page: 2 })
    assert.deepEqual(paged.body().meta, { total: 3, perPage: 2, page: 2, lastPage: 2 })
    assert.lengthOf(paged.body().data[0].rules, 5)
    const bad = await list({ sort: 'timezone' })
    bad.assertStatus(422)
    assert.deepEqual(fieldsOf(bad.body()), ['sort'])
    ;(await list({ status: 'open' })).assertStatus(422)
  })
})
