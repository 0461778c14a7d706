import { BaseSeeder } from '@adonisjs/lucid/seeders'
import db from '@adonisjs/lucid/services/db'
import Organization from '#models/organization'
import User from '#models/user'
import StaffUser from '#models/staff_user'
import Extension from '#models/extension'
import { defaultFollowMe, defaultForwarding } from '#enums/extensions'
import type { Role } from '#enums/roles'
import { PASSWORD_POLICY_VERSION } from '#services/auth/password_policy'

/** Shown by `npm start` and the README; demo data only, never for production. */
export const DEMO_PASSWORD = 'Demo-pass-2026'

export const DEMO_ORGANIZATIONS: {
  name: string
  slug: string
  timezone: string
  domain: string
  extensions: { number: string; owner: string; password: string }[]
}[] = [
  {
    name: 'Acme Telecom',
    slug: 'acme',
    timezone: 'Europe/London',
    domain: 'acme.test',
    // Same SIP credentials as voip-edge/demo/tenants.json, which npm start's edge uses.
    extensions: [
      { number: '1001', owner: 'user', password: 'demo-1001-change-me' },
      { number: '1002', owner: 'admin', password: 'demo-1002-change-me' },
    ],
  },
  {
    name: 'Globex Corporation',
    slug: 'globex',
    timezone: 'America/New_York',
    domain: 'globex.test',
    extensions: [{ number: '2001', owner: 'user', password: 'demo-2001-change-me' }],
  },
]

const DEMO_USERS: { local: string; name: string; role: Role }[] = [
  { local: 'owner', name: 'Olivia Owner', role: 'owner' },
  { local: 'admin', name: 'Adam Admin', role: 'pbx_admin' },
  { local: 'user', name: 'Uma User', role: 'pbx_user' },
  { local: 'reporter', name: 'Ravi Reporter', role: 'reporter' },
]

export const DEMO_STAFF_EMAIL = 'support@opbx.test'

/**
 * Two organizations with a user of every role, plus one support staff account.
 * Idempotent: rows are matched by slug/email and left alone when they exist.
 */
export default class DemoSeeder extends BaseSeeder {
  async run() {
    await db.transaction(async (trx) => {
      for (const demo of DEMO_ORGANIZATIONS) {
        const organization = await Organization.updateOrCreate(
          { slug: demo.slug },
          { name: demo.name, timezone: demo.timezone, status: 'active', settings: {} },
          { client: trx },
        )
        const usersByLocal = new Map<string, User>()
        for (const person of DEMO_USERS) {
          const email = `${person.local}@${demo.domain}`
          const existing = await organization.related('users').query().where('email', email).first()
          if (existing) {
            usersByLocal.set(person.local, existing)
            continue
          }
          const created = await User.create(
            {
              organizationId: organization.id,
              name: person.name,
              email,
              password: DEMO_PASSWORD,
              role: person.role,
              status: 'active',
              passwordResetRequired: false,
              passwordPolicyVersion: PASSWORD_POLICY_VERSION,
            },
            { client: trx },
          )
          usersByLocal.set(person.local, created)
        }
        for (const demoExtension of demo.extensions) {
          const exists = await Extension.query({ client: trx })
            .withScopes((scopes) => scopes.forOrganization(organization))
            .where('number', demoExtension.number)
            .first()
          if (exists) continue
          const owner = usersByLocal.get(demoExtension.owner)!
          await Extension.create(
            {
              organizationId: organization.id,
              number: demoExtension.number,
              name: owner.name,
              type: 'user',
              status: 'active',
              userId: owner.id,
              configuration: {},
              sipUsername: demoExtension.number,
              sipPassword: demoExtension.password,
              voicemailEnabled: true,
              dndEnabled: false,
              forwarding: defaultForwarding(),
              followMe: defaultFollowMe(),
            },
            { client: trx },
          )
        }
      }
      const staff = await StaffUser.query({ client: trx }).where('email', DEMO_STAFF_EMAIL).first()
      if (!staff) {
        await StaffUser.create(
          {
            name: 'Sam Support',
            email: DEMO_STAFF_EMAIL,
            password: DEMO_PASSWORD,
            role: 'support',
            status: 'active',
          },
          { client: trx },
        )
      }
    })
  }
}
