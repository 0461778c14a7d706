import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor } from '#tests/helpers'
import { insertCallLogs } from '#tests/functional/call_logs/fixtures'
import { makeExtension } from '#tests/functional/extensions/support'
import { FakeEdgeControl } from '#tests/functional/calls/fake_edge'
import { assertEachNotFound } from '#tests/tenancy/support'

test.group('Tenancy: live call control', (group) => {
  isolate(group)
  let edge: FakeEdgeControl
  group.each.setup(async () => {
    edge = await new FakeEdgeControl().start()
    edge.use()
    return () => edge.stop()
  })

  test("another organization's calls are a 404 and never reach the edge", async ({
    client,
    assert,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    await makeExtension(a.organization, { number: '3001' })
    const [foreign] = await insertCallLogs(b.organization.id, 1, {
      call_id: 'foreign-call',
      status: 'answered',
      from_number: '+19995550000',
    })
    edge.live.add('foreign-call')
    await assertEachNotFound(
      assert,
      [
        client.post(`/api/v1/calls/${foreign}/hangup`),
        client.post(`/api/v1/calls/${foreign}/transfer`).json({ target: '3001' }),
      ],
      await tokenFor(a.owner),
      ['+19995550000', 'foreign-call'],
    )
    assert.lengthOf(edge.requests, 0)
    assert.isTrue(edge.live.has('foreign-call'))
  })

  test("the list holds only the organization's own live calls", async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    const mine = await insertCallLogs(a.organization.id, 2, { status: 'ringing' })
    await insertCallLogs(b.organization.id, 3, { status: 'answered' })
    const response = await client
      .get('/api/v1/calls/active')
      .qs({ perPage: 100 })
      .bearerToken(await tokenFor(a.admin))
    assert.sameMembers(
      response.body().data.map((row: { id: number }) => row.id),
      mine,
    )
  })

  test("a transfer cannot target another organization's extension", async ({ client, assert }) => {
    const a = await createTenant()
    const b = await createTenant()
    await makeExtension(b.organization, { number: '4001' })
    const [mine] = await insertCallLogs(a.organization.id, 1, {
      call_id: 'own-call',
      status: 'answered',
    })
    edge.live.add('own-call')
    const response = await client
      .post(`/api/v1/calls/${mine}/transfer`)
      .json({ target: '4001' })
      .bearerToken(await tokenFor(a.admin))
    response.assertStatus(422)
    assert.lengthOf(edge.requests, 0)
  })
})
