import { Counter, Gauge } from 'prom-client'
import db from '@adonisjs/lucid/services/db'
import { registry } from '#services/metrics/registry'

export const tollFraudSuspensions = new Counter({
  name: 'opbx_toll_fraud_suspensions_total',
  help: 'Tenants whose outbound calling the toll-fraud velocity/spend rule suspended',
  registers: [registry],
})

/* Read from the database at scrape time: true across app processes and restarts. */
export const suspendedTenants = new Gauge({
  name: 'opbx_outbound_suspended_tenants',
  help: 'Tenants whose outbound calling is currently suspended by the toll-fraud guard',
  registers: [registry],
  async collect() {
    const row = await db
      .from('organizations')
      .whereNotNull('outbound_suspended_at')
      .whereNull('deleted_at')
      .count('* as total')
      .first()
    this.set(Number(row?.total ?? 0))
  },
})
