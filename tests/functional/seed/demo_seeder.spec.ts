import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import DemoSeeder, { DEMO_PASSWORD } from '#database/seeders/demo_seeder'
import { isolate } from '#tests/helpers'

async function counts() {
  const count = async (table: string, where: Record<string, string> = {}) => {
    const [{ n }] = await db.from(table).where(where).count('* as n')
    return Number(n)
  }
  return {
    organizations: await count('organizations'),
    users: await count('users'),
    extensions: await count('extensions'),
    staff: await count('staff_users', { email: 'support@opbx.test' }),
  }
}

test.group('Demo data', (group) => {
  isolate(group)

  test('seeds two organizations with every role, extensions and a support account, idempotently', async ({
    assert,
    client,
  }) => {
    const before = await counts()
    await new DemoSeeder(db.connection()).run()
    const once = await counts()
    await new DemoSeeder(db.connection()).run()
    assert.deepEqual(await counts(), once)
    assert.deepEqual(
      {
        organizations: once.organizations - before.organizations,
        users: once.users - before.users,
        extensions: once.extensions - before.extensions,
        staff: once.staff - before.staff,
      },
      { organizations: 2, users: 8, extensions: 3, staff: 1 },
    )
    const roles = await db.from('users').whereILike('email', '%@acme.test').select('role')
    assert.sameMembers(
      roles.map((r) => r.role),
      ['owner', 'pbx_admin', 'pbx_user', 'reporter'],
    )
    const login = await client
      .post('/api/v1/auth/login')
      .json({ email: 'owner@acme.test', password: DEMO_PASSWORD })
    login.assertStatus(201)
  })
})
