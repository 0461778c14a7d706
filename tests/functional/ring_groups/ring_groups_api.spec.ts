import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import AuditLog from '#models/audit_log'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { makeExtension } from '#tests/functional/extensions/support'
import { fieldsOf, makeRingGroup, storedMembers } from '#tests/functional/ring_groups/support'

test.group('Ring groups API: create, show, update', (group) => {
  isolate(group)

  test('creates a group with members in priority order and audits it', async ({
    client,
    assert,
  }) => {
    const { admin, organization } = await createTenant()
    const [alice, bob] = [await makeExtension(organization), await makeExtension(organization)]
    const token = await tokenFor(admin)
    const response = await client
      .post('/api/v1/ring-groups')
      .bearerToken(token)
      .json({
        name: 'Sales',
        description: 'Front desk',
        strategy: 'sequential',
        timeout: 20,
        ringTurns: 2,
        members: [
          { extensionId: alice.id, priority: 5 },
          { extensionId: bob.id, priority: 1 },
        ],
      })
    response.assertStatus(201)
    const data = response.body().data
    assert.deepInclude(data, {
      name: 'Sales',
      description: 'Front desk',
      strategy: 'sequential',
      timeout: 20,
      ringTurns: 2,
      fallbackAction: 'hangup',
      fallbackTargetId: null,
      status: 'active',
    })
    assert.deepEqual(
      data.members.map((m: { extensionId: number; priority: number }) => [
        m.extensionId,
        m.priority,
      ]),
      [
        [bob.id, 1],
        [alice.id, 5],
      ],
    )
    assert.equal(data.members[0].extension.number, bob.number)
    const audit = await AuditLog.query()
      .where('action', 'ring_group.created')
      .where('subject_id', String(data.id))
      .firstOrFail()
    assert.equal(audit.actorUserId, admin.id)
    assert.lengthOf((audit.after as { members: unknown[] }).members, 2)

    const shown = await client.get(`/api/v1/ring-groups/${data.id}`).bearerToken(token)
    shown.assertStatus(200)
    assert.deepEqual(shown.body().data, data)
  })

  test('defaults timeout to 30 s, one ring turn, simultaneous, hangup', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const member = await makeExtension(organization)
    const response = await client
      .post('/api/v1/ring-groups')
      .bearerToken(await tokenFor(owner))
      .json({ name: 'Support', members: [{ extensionId: member.id, priority: 1 }] })
    response.assertStatus(201)
    assert.deepInclude(response.body().data, {
      timeout: 30,
      ringTurns: 1,
      strategy: 'simultaneous',
      fallbackAction: 'hangup',
    })
  })

  test('answers 422 with field errors for bad values', async ({ client, assert }) => {
    const { owner } = await createTenant()
    const response = await client
      .post('/api/v1/ring-groups')
      .bearerToken(await tokenFor(owner))
      .json({
        name: 'x',
        strategy: 'random',
        timeout: 4,
        ringTurns: 10,
        fallbackAction: 'ai_assistant',
        status: 'paused',
        members: [],
      })
    response.assertStatus(422)
    assert.sameMembers(fieldsOf(response.body()), [
      'name',
      'strategy',
      'timeout',
      'ringTurns',
      'fallbackAction',
      'status',
      'members',
    ])
  })

  test('rejects timeouts above 300 s and more than 50 members', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const extension = await makeExtension(organization)
    const members = Array.from({ length: 51 }, (_, i) => ({
      extensionId: extension.id + i,
      priority: i + 1,
    }))
    const response = await client
      .post('/api/v1/ring-groups')
      .bearerToken(await tokenFor(owner))
      .json({ name: 'Too big', timeout: 301, members })
    response.assertStatus(422)
    assert.sameMembers(fieldsOf(response.body()), ['timeout', 'members'])
  })

  test('reports each member that is not an active user extension of the organization', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const other = await createTenant()
    const good = await makeExtension(organization)
    const alsoGood = await makeExtension(organization)
    const conference = await makeExtension(organization, { type: 'conference' })
    const inactive = await makeExtension(organization, { status: 'inactive' })
    const foreign = await makeExtension(other.organization)
    const response = await client
      .post('/api/v1/ring-groups')
      .bearerToken(await tokenFor(owner))
      .json({
        name: 'Mixed',
        members: [
          { extensionId: good.id, priority: 1 },
          { extensionId: conference.id, priority: 2 },
          { extensionId: inactive.id, priority: 3 },
          { extensionId: foreign.id, priority: 4 },
          { extensionId: good.id + 100_000, priority: 5 },
          { extensionId: alsoGood.id, priority: 101 },
        ],
      })
    response.assertStatus(422)
    const errors = response.body().error.details.fields as { field: string; rule: string }[]
    assert.includeDeepMembers(
      errors.map((e) => [e.field, e.rule]),
      [
        ['members.1.extensionId', 'userExtension'],
        ['members.2.extensionId', 'activeExtension'],
        ['members.3.extensionId', 'existsInOrganization'],
        ['members.4.extensionId', 'existsInOrganization'],
        ['members.5.priority', 'range'],
      ],
    )
    assert.notInclude(
      errors.map((e) => e.field),
      'members.0.extensionId',
    )
    assert.equal(
      await db
        .from('ring_groups')
        .where('name', 'Mixed')
        .count('* as n')
        .first()
        .then((r) => Number(r.n)),
      0,
    )
  })

  test('refuses duplicate members and duplicate priorities', async ({ client, assert }) => {
    const { owner, organization } = await createTenant()
    const [a, b] = [await makeExtension(organization), await makeExtension(organization)]
    const token = await tokenFor(owner)
    const duplicateMember = await client
      .post('/api/v1/ring-groups')
      .bearerToken(token)
      .json({
        name: 'Twice',
        members: [
          { extensionId: a.id, priority: 1 },
          { extensionId: a.id, priority: 2 },
        ],
      })
    duplicateMember.assertStatus(422)
    assert.include(fieldsOf(duplicateMember.body()), 'members')
    const duplicatePriority = await client
      .post('/api/v1/ring-groups')
      .bearerToken(token)
      .json({
        name: 'Tie',
        members: [
          { extensionId: a.id, priority: 1 },
          { extensionId: b.id, priority: 1 },
        ],
      })
    duplicatePriority.assertStatus(422)
    assert.include(fieldsOf(duplicatePriority.body()), 'members')
  })

  test('names are unique per organization among live groups, ignoring case', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const other = await createTenant()
    const member = await makeExtension(organization)
    await makeRingGroup(organization, [member], { name: 'Sales' })
    await makeRingGroup(other.organization, [], { name: 'Support' })
    const binned = await makeRingGroup(organization, [], { name: 'Old' })
    await binned.merge({ deletedAt: binned.createdAt }).save()
    const token = await tokenFor(owner)
    const create = (name: string) =>
      client
        .post('/api/v1/ring-groups')
        .bearerToken(token)
        .json({ name, members: [{ extensionId: member.id, priority: 1 }] })

    const clash = await create('SALES')
    clash.assertStatus(422)
    assert.deepEqual(fieldsOf(clash.body()), ['name'])
    ;(await create('Support')).assertStatus(201)
    ;(await create('Old')).assertStatus(201)
  })

  test('update replaces the member list in one go and audits before and after', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const [a, b, c] = [
      await makeExtension(organization),
      await makeExtension(organization),
      await makeExtension(organization),
    ]
    const ringGroup = await makeRingGroup(organization, [a, b], { name: 'Sales' })
    const response = await client
      .patch(`/api/v1/ring-groups/${ringGroup.id}`)
      .bearerToken(await tokenFor(owner))
      .json({
        name: 'Sales team',
        strategy: 'round_robin',
        members: [
          { extensionId: c.id, priority: 1 },
          { extensionId: a.id, priority: 2 },
        ],
      })
    response.assertStatus(200)
    assert.deepInclude(response.body().data, { name: 'Sales team', strategy: 'round_robin' })
    assert.deepEqual(await storedMembers(ringGroup.id), [
      [c.id, 1],
      [a.id, 2],
    ])
    const audit = await AuditLog.query()
      .where('action', 'ring_group.updated')
      .where('subject_id', String(ringGroup.id))
      .firstOrFail()
    const ids = (snapshot: unknown) =>
      (snapshot as { members: { extensionId: number }[] }).members.map((m) => m.extensionId)
    assert.deepEqual(ids(audit.before), [a.id, b.id])
    assert.deepEqual(ids(audit.after), [c.id, a.id])
    assert.equal((audit.before as { name: string }).name, 'Sales')
  })

  test('an update without members keeps them; PUT behaves like PATCH', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const a = await makeExtension(organization)
    const ringGroup = await makeRingGroup(organization, [a])
    const token = await tokenFor(owner)
    const patched = await client
      .patch(`/api/v1/ring-groups/${ringGroup.id}`)
      .bearerToken(token)
      .json({ timeout: 45 })
    patched.assertStatus(200)
    const put = await client
      .put(`/api/v1/ring-groups/${ringGroup.id}`)
      .bearerToken(token)
      .json({ status: 'inactive' })
    put.assertStatus(200)
    assert.deepInclude(put.body().data, { timeout: 45, status: 'inactive' })
    assert.deepEqual(await storedMembers(ringGroup.id), [[a.id, 1]])
  })

  test('an update may keep its own name and answers 422 for an empty member list', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const a = await makeExtension(organization)
    const ringGroup = await makeRingGroup(organization, [a], { name: 'Sales' })
    const token = await tokenFor(owner)
    const same = await client
      .patch(`/api/v1/ring-groups/${ringGroup.id}`)
      .bearerToken(token)
      .json({ name: 'sales' })
    same.assertStatus(200)
    const empty = await client
      .patch(`/api/v1/ring-groups/${ringGroup.id}`)
      .bearerToken(token)
      .json({ members: [] })
    empty.assertStatus(422)
    assert.deepEqual(fieldsOf(empty.body()), ['members'])
    assert.deepEqual(await storedMembers(ringGroup.id), [[a.id, 1]])
  })
})

test.group('Ring groups API: member state', (group) => {
  isolate(group)

  test('a member kept through a list replacement keeps its last-offered time', async ({
    client,
    assert,
  }) => {
    const { owner, organization } = await createTenant()
    const [stays, leaves, joins] = [
      await makeExtension(organization),
      await makeExtension(organization),
      await makeExtension(organization),
    ]
    const ringGroup = await makeRingGroup(organization, [stays, leaves], {
      strategy: 'longest_idle',
    })
    const offeredAt = new Date('2026-01-02T03:04:05Z')
    await db
      .from('ring_group_members')
      .where('ring_group_id', ringGroup.id)
      .update({ last_offered_at: offeredAt })
    const response = await client
      .patch(`/api/v1/ring-groups/${ringGroup.id}`)
      .bearerToken(await tokenFor(owner))
      .json({
        members: [
          { extensionId: joins.id, priority: 1 },
          { extensionId: stays.id, priority: 2 },
        ],
      })
    response.assertStatus(200)
    const rows = await db
      .from('ring_group_members')
      .where('ring_group_id', ringGroup.id)
      .orderBy('priority')
    assert.deepEqual(
      rows.map((row) => [row.extension_id, row.last_offered_at?.toISOString() ?? null]),
      [
        [joins.id, null],
        [stays.id, offeredAt.toISOString()],
      ],
    )
  })
})
