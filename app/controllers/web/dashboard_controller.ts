import type { HttpContext } from '@adonisjs/core/http'

export default class DashboardController {
  async show({ inertia, organization }: HttpContext) {
    const users = await organization
      .related('users')
      .query()
      .whereNull('deleted_at')
      .count('* as total')
    return inertia.render('dashboard', {
      stats: { users: Number(users[0].$extras.total) },
    })
  }
}
