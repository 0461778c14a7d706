import type { Group } from '@japa/runner/core'
import redis from '@adonisjs/redis/services/main'
import testUtils from '@adonisjs/core/services/test_utils'
import User from '#models/user'
import type Organization from '#models/organization'
import { OrganizationFactory } from '#database/factories/organization_factory'
import { UserFactory, FACTORY_PASSWORD } from '#database/factories/user_factory'
import type { Role } from '#enums/roles'

export { FACTORY_PASSWORD }

export type Tenant = {
  organization: Organization
  owner: User
  admin: User
  user: User
  reporter: User
}

/** An organization with one user of every role. */
export async function createTenant(state?: 'suspended'): Promise<Tenant> {
  const organization = await (
    state ? OrganizationFactory.apply(state) : OrganizationFactory
  ).create()
  const make = (role: Role) => UserFactory.merge({ organizationId: organization.id, role }).create()
  const [owner, admin, user, reporter] = await Promise.all([
    make('owner'),
    make('pbx_admin'),
    make('pbx_user'),
    make('reporter'),
  ])
  return { organization, owner, admin, user, reporter }
}

export async function tokenFor(user: User, abilities: string[] = ['*']) {
  const token = await User.accessTokens.create(user, abilities)
  return token.value!.release()
}

/**
 * Each test runs inside a database transaction rolled back afterwards, and starts with an
 * empty Redis test database (rate-limit and lockout counters).
 */
export function isolate(group: Group) {
  group.each.setup(() => testUtils.db().withGlobalTransaction())
  group.each.setup(async () => {
    await redis.flushdb()
  })
}
