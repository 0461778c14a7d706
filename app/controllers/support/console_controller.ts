import type { HttpContext } from '@adonisjs/core/http'
import db from '@adonisjs/lucid/services/db'
import Organization from '#models/organization'
import User from '#models/user'
import { supportSearchValidator } from '#validators/support'

const LIMIT = 50

/**
 * The support console: find an organization (by name, slug or SIP domain) or a user (by
 * name or email, or all users of one organization), then impersonate the user to help.
 */
export default class SupportConsoleController {
  async show({ inertia, request, auth }: HttpContext) {
    const staff = auth.use('staff').getUserOrFail()
    const { search, organizationId } = await request.validateUsing(supportSearchValidator, {
      data: request.qs(),
    })
    const term = search ? `%${search.replace(/[\\%_]/g, '\\$&')}%` : null

    const organizationQuery = Organization.query().orderBy('name').limit(LIMIT)
    if (organizationId) organizationQuery.where('id', organizationId)
    else if (term)
      organizationQuery.where((q) =>
        q.whereILike('name', term).orWhereILike('slug', term).orWhereILike('sip_domain', term),
      )
    const organizations = await organizationQuery

    const users = User.platformQuery('support console search')
      .whereNull('deleted_at')
      .orderBy('email')
      .limit(LIMIT)
    if (organizationId) users.where('organization_id', organizationId)
    else if (term) users.where((q) => q.whereILike('email', term).orWhereILike('name', term))
    const found = await users

    // Users may belong to organizations the organization search did not list.
    const missing = [...new Set(found.map((u) => u.organizationId))].filter(
      (id) => !organizations.some((o) => o.id === id),
    )
    const owners = missing.length ? await Organization.query().whereIn('id', missing) : []
    const byId = new Map([...organizations, ...owners].map((o) => [o.id, o]))
    const counts = organizations.length
      ? await db
          .from('users')
          .whereIn(
            'organization_id',
            organizations.map((o) => o.id),
          )
          .whereNull('deleted_at')
          .groupBy('organization_id')
          .select('organization_id')
          .count('* as n')
      : []
    const userCount = new Map(counts.map((r) => [Number(r.organization_id), Number(r.n)]))

    return inertia.render('support/console', {
      staff: { name: staff.name, email: staff.email },
      search: search ?? '',
      organizationId: organizationId ?? null,
      organizations: organizations.map((o) => ({
        id: o.id,
        name: o.name,
        slug: o.slug,
        sipDomain: o.sipDomain,
        status: o.status,
        users: userCount.get(o.id) ?? 0,
      })),
      users: found.map((u) => ({
        id: u.id,
        name: u.name,
        email: u.email,
        role: u.role,
        status: u.status,
        organization: byId.get(u.organizationId)?.name ?? '?',
        organizationStatus: byId.get(u.organizationId)?.status ?? 'active',
      })),
    })
  }
}
