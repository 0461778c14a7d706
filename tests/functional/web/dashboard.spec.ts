import { test } from '@japa/runner'
import { DateTime } from 'luxon'
import { createTenant, isolate } from '#tests/helpers'
import { insertCallLogs } from '#tests/functional/call_logs/fixtures'

test.group('Dashboard', (group) => {
  isolate(group)

  test("shows today's calls of the organization only, to roles that see call history", async ({
    client,
  }) => {
    const a = await createTenant()
    const b = await createTenant()
    const now = DateTime.now()
    await insertCallLogs(a.organization.id, 3, {
      initiated_at: now.toJSDate(),
      answered_at: now.toJSDate(),
      status: 'completed',
      ended_at: now.toJSDate(),
    })
    await insertCallLogs(a.organization.id, 2, {
      initiated_at: now.toJSDate(),
      status: 'no_answer',
      ended_at: now.toJSDate(),
    })
    await insertCallLogs(a.organization.id, 1, {
      initiated_at: now.toJSDate(),
      status: 'ringing',
      ended_at: null,
    })
    await insertCallLogs(a.organization.id, 4, {
      initiated_at: now.minus({ days: 3 }).toJSDate(),
      ended_at: now.minus({ days: 3 }).toJSDate(),
    })
    await insertCallLogs(b.organization.id, 7, {
      initiated_at: now.toJSDate(),
      ended_at: now.toJSDate(),
    })

    for (const viewer of [a.owner, a.admin, a.reporter]) {
      const page = await client.get('/').withGuard('web').loginAs(viewer).withInertia()
      page.assertInertiaPropsContains({
        stats: { users: 4, calls: { today: 6, answered: 3, missed: 2, active: 1 } },
      })
    }
    const asUser = await client.get('/').withGuard('web').loginAs(a.user).withInertia()
    asUser.assertInertiaPropsContains({ stats: { calls: null } })
  })
})
