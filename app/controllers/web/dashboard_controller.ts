import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import DashboardStats from '#services/dashboard/dashboard_stats'

export default class DashboardController {
  @inject()
  async show({ inertia, organization, currentUser }: HttpContext, stats: DashboardStats) {
    return inertia.render('dashboard', { stats: await stats.handle(organization, currentUser) })
  }
}
