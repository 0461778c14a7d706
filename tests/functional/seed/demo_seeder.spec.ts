import { test } from '@japa/runner'
import db from '@adonisjs/lucid/services/db'
import DemoSeeder, { DEMO_PASSWORD } from '#database/seeders/demo_seeder'
import { isolate } from '#tests/helpers'

/* What the demo data consists of, counted by its own names (other tests may have seeded it). */
async function demoCounts() {
  const organizations = await db
    .from('organizations')
    .whereIn('slug', ['acme', 'globex'])
    .select('id')
  const ids = organizations.map((o) => o.id)
  const count = async (table: string) => {
    const [{ n }] = await db.from(table).whereIn('organization_id', ids).count('* as n')
    return Number(n)
  }
  const [{ n: staff }] = await db
    .from('staff_users')
    .where('email', 'support@opbx.test')
    .count('* as n')
  return {
    organizations: ids.length,
    users: await count('users'),
    extensions: await count('extensions'),
    staff: Number(staff),
  }
}

test.group('Demo data', (group) => {
  isolate(group)

  test('seeds two organizations with every role, extensions and a support account, idempotently', async ({
    assert,
    client,
  }) => {
    await new DemoSeeder(db.connection()).run()
    const once = await demoCounts()
    assert.deepEqual(once, { organizations: 2, users: 8, extensions: 3, staff: 1 })
    await new DemoSeeder(db.connection()).run()
    assert.deepEqual(await demoCounts(), once)

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
