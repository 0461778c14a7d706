/**
 * Seeds the reliability database through the app's own models (run with
 * `node --import @poppinss/ts-exec reliability/lib/seed_app.ts <tenants> <usersPerTenant>`)
 * and prints what the load generators need as one JSON line: per tenant its SIP domain,
 * webhook secret, DIDs and one API token per user (the API budget is per user, so a
 * virtual user is a real user).
 */
import 'reflect-metadata'
import { randomBytes } from 'node:crypto'
import { Ignitor } from '@adonisjs/core'

const APP_ROOT = new URL('../../', import.meta.url)
const importer = (filePath: string) =>
  filePath.startsWith('./') || filePath.startsWith('../')
    ? import(new URL(filePath, APP_ROOT).href)
    : import(filePath)

const [tenantCount, usersPerTenant] = process.argv.slice(2).map(Number)
const app = new Ignitor(APP_ROOT, { importer })
  .tap((a) => a.booting(async () => void (await import('#start/env'))))
  .createApp('console')
await app.init()
await app.boot()

const { default: db } = await import('@adonisjs/lucid/services/db')
const { default: hash } = await import('@adonisjs/core/services/hash')
const { default: User } = await import('#models/user')
const { default: Organization } = await import('#models/organization')
const { default: WebhookSecret } = await import('#models/webhook_secret')
const { default: OrganizationSetting } = await import('#models/organization_setting')
const { defaultForwarding, defaultFollowMe } = await import('#enums/extensions')
const { default: Extension } = await import('#models/extension')

const run = randomBytes(3).toString('hex')
const password = await hash.make('Reliability-pass-2026')
const now = new Date()
const tenants = []
for (let t = 0; t < tenantCount; t++) {
  const organization = await Organization.create({
    name: `Load ${run} ${t}`,
    slug: `load-${run}-${t}`,
    timezone: 'UTC',
    status: 'active',
    settings: {},
  })
  const orgId = organization.id
  const secret = randomBytes(32).toString('base64url')
  await WebhookSecret.create({ organizationId: orgId, secret })
  await OrganizationSetting.create({ organizationId: orgId, tenantMode: 'cloudonix' })
  const users = await db
    .table('users')
    .insert(
      Array.from({ length: usersPerTenant }, (_, i) => ({
        organization_id: orgId,
        name: `Load user ${i}`,
        email: `load-${run}-${t}-${i}@reliability.test`,
        password,
        role: i === 0 ? 'owner' : 'pbx_admin',
        status: 'active',
        created_at: now,
        updated_at: now,
      })),
    )
    .returning('id')
  const tokens: string[] = []
  for (const { id } of users) {
    const user = await User.query()
      .withScopes((scopes) => scopes.forOrganization(organization))
      .where('id', id)
      .firstOrFail()
    const token = await User.accessTokens.create(user, ['*'])
    tokens.push(token.value!.release())
  }
  // Through the model: SIP passwords are stored encrypted (SecretBox).
  const extensions = await Extension.createMany(
    Array.from({ length: 20 }, (_, i) => ({
      organizationId: orgId,
      number: String(100 + i),
      name: `Phone ${100 + i}`,
      type: 'user' as const,
      status: 'active' as const,
      configuration: {},
      sipUsername: String(100 + i),
      sipPassword: `load-sip-password-${randomBytes(8).toString('hex')}`,
      voicemailEnabled: false,
      dndEnabled: false,
      forwarding: defaultForwarding(),
      followMe: defaultFollowMe(),
    })),
  )
  const dids = Array.from(
    { length: 10 },
    (_, i) => `+4969${String(t).padStart(3, '0')}${String(i).padStart(4, '0')}`,
  )
  await db.table('phone_numbers').insert(
    dids.map((number, i) => ({
      organization_id: orgId,
      number,
      status: 'active',
      routing_type: 'extension',
      routing_target_id: extensions[i].id,
      created_at: now,
      updated_at: now,
    })),
  )
  tenants.push({
    id: orgId,
    domain: organization.sipDomain,
    secret,
    dids,
    tokens,
    extensionIds: extensions.map((e) => e.id),
  })
}

process.stdout.write(`${JSON.stringify({ run, tenants })}\n`)
await app.terminate()
