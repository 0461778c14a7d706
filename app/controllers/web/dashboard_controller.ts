import { inject } from '@adonisjs/core'
import type { HttpContext } from '@adonisjs/core/http'
import DashboardStats from '#services/dashboard/dashboard_stats'
import RegisteredDevices from '#services/dashboard/registered_devices'
import { isManager } from '#auth/rules'

export default class DashboardController {
  @inject()
  async show(
    { inertia, organization, currentUser }: HttpContext,
    stats: DashboardStats,
    devices: RegisteredDevices,
  ) {
    return inertia.render('dashboard', {
      stats: await stats.handle(organization, currentUser),
      // Which phones are online is PBX administration, like the extension list's details.
      devices: isManager(currentUser) ? await devices.count(organization) : null,
      timezone: organization.timezone,
    })
  }
}
