import type { HttpContext } from '@adonisjs/core/http'
import Organization from '#models/organization'
import User from '#models/user'
import { supportSearchValidator } from '#validators/support'

/** The support console: find an organization's user to help, then impersonate them. */
export default class SupportConsoleController {
  async show({ inertia, request, auth }: HttpContext) {
    const staff = auth.use('staff').getUserOrFail()
    const { search } = await request.validateUsing(supportSearchValidator, { data: request.qs() })
    const users = User.platformQuery('support console search')
      .whereNull('deleted_at')
      .orderBy('email')
      .limit(50)
    if (search) {
      const term = `%${search.replace(/[\\%_]/g, '\\$&')}%`
      users.where((q) => q.whereILike('email', term).orWhereILike('name', term))
    }
    const organizations = await Organization.query().orderBy('name')
    const byId = new Map(organizations.map((o) => [o.id, o]))
    const found = await users
    return inertia.render('support/console', {
      staff: { name: staff.name, email: staff.email },
      search: search ?? '',
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
