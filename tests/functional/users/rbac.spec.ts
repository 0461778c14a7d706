import { test } from '@japa/runner'
import { createTenant, isolate, tokenFor, type Tenant } from '#tests/helpers'
import type { Role } from '#enums/roles'

type Actor = 'owner' | 'admin' | 'user' | 'reporter'
type Case = {
  name: string
  request: (t: Tenant) => {
    method: 'get' | 'post' | 'patch' | 'delete'
    url: string
    body?: object
  }
  allowed: Actor[]
}

const newUser = (role: Role) => ({
  name: 'New Person',
  email: `new.${role}.${Math.random().toString(36).slice(2)}@example.test`,
  password: 'Valid-pass-2026',
  role,
})

/* The RBAC matrix for users (reference/opbx-inventory.md §3, with its holes closed). */
const CASES: Case[] = [
  {
    name: 'list users',
    request: () => ({ method: 'get', url: '/api/v1/users' }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'create a PBX user',
    request: () => ({ method: 'post', url: '/api/v1/users', body: newUser('pbx_user') }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'create a reporter',
    request: () => ({ method: 'post', url: '/api/v1/users', body: newUser('reporter') }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'create a PBX admin',
    request: () => ({ method: 'post', url: '/api/v1/users', body: newUser('pbx_admin') }),
    allowed: ['owner'],
  },
  {
    name: 'create an owner',
    request: () => ({ method: 'post', url: '/api/v1/users', body: newUser('owner') }),
    allowed: ['owner'],
  },
  {
    name: 'view a PBX user',
    request: (t) => ({ method: 'get', url: `/api/v1/users/${t.user.id}` }),
    allowed: ['owner', 'admin', 'user'],
  },
  {
    name: 'view the owner',
    request: (t) => ({ method: 'get', url: `/api/v1/users/${t.owner.id}` }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'rename a PBX user',
    request: (t) => ({
      method: 'patch',
      url: `/api/v1/users/${t.user.id}`,
      body: { name: 'Renamed' },
    }),
    allowed: ['owner', 'admin', 'user'],
  },
  {
    name: 'rename the PBX admin',
    request: (t) => ({
      method: 'patch',
      url: `/api/v1/users/${t.admin.id}`,
      body: { name: 'Renamed' },
    }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'rename the reporter',
    request: (t) => ({
      method: 'patch',
      url: `/api/v1/users/${t.reporter.id}`,
      body: { name: 'Renamed' },
    }),
    allowed: ['owner', 'admin', 'reporter'],
  },
  {
    name: 'make a PBX user a reporter',
    request: (t) => ({
      method: 'patch',
      url: `/api/v1/users/${t.user.id}`,
      body: { role: 'reporter' },
    }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'make a PBX user a PBX admin',
    request: (t) => ({
      method: 'patch',
      url: `/api/v1/users/${t.user.id}`,
      body: { role: 'pbx_admin' },
    }),
    allowed: ['owner'],
  },
  {
    name: 'demote the PBX admin',
    request: (t) => ({
      method: 'patch',
      url: `/api/v1/users/${t.admin.id}`,
      body: { role: 'pbx_user' },
    }),
    allowed: ['owner'],
  },
  {
    name: 'deactivate a PBX user',
    request: (t) => ({
      method: 'patch',
      url: `/api/v1/users/${t.user.id}`,
      body: { status: 'inactive' },
    }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'delete a reporter',
    request: (t) => ({ method: 'delete', url: `/api/v1/users/${t.reporter.id}` }),
    allowed: ['owner', 'admin'],
  },
  {
    name: 'delete the PBX admin',
    request: (t) => ({ method: 'delete', url: `/api/v1/users/${t.admin.id}` }),
    allowed: ['owner'],
  },
]

test.group('Users RBAC matrix', (group) => {
  isolate(group)

  for (const actor of ['owner', 'admin', 'user', 'reporter'] as Actor[]) {
    for (const c of CASES) {
      const allowed = c.allowed.includes(actor)
      test(`${actor} ${allowed ? 'may' : 'may not'} ${c.name}`, async ({ client, assert }) => {
        const tenant = await createTenant()
        const token = await tokenFor(tenant[actor])
        const { method, url, body } = c.request(tenant)
        const request = client.request(url, method.toUpperCase()).bearerToken(token)
        const response = await (body ? request.json(body) : request)
        if (allowed) {
          assert.oneOf(response.status(), [200, 201, 204], response.text())
        } else {
          response.assertStatus(403)
          assert.equal(response.body().error.code, 'E_FORBIDDEN')
        }
      })
    }
  }

  test('nobody changes their own role or deletes themselves', async ({ client }) => {
    const tenant = await createTenant()
    for (const actor of ['owner', 'admin', 'user', 'reporter'] as Actor[]) {
      const token = await tokenFor(tenant[actor])
      const self = tenant[actor]
      const newRole = self.role === 'reporter' ? 'pbx_user' : 'reporter'
      ;(
        await client.patch(`/api/v1/users/${self.id}`).bearerToken(token).json({ role: newRole })
      ).assertStatus(403)
      ;(await client.delete(`/api/v1/users/${self.id}`).bearerToken(token)).assertStatus(403)
    }
  })
})
