import { BaseSchema } from '@adonisjs/lucid/schema'

/**
 * The SIP domain (digest realm) phones register to: it is how voip-edge finds the tenant
 * of a REGISTER or INVITE. Existing organizations get `<slug>.pbx.localhost`, the same
 * default new organizations receive (SIP_DOMAIN_SUFFIX changes it for new ones).
 */
export default class extends BaseSchema {
  async up() {
    this.schema.alterTable('organizations', (table) => {
      table.string('sip_domain', 253).nullable()
    })
    this.defer(async (db) => {
      await db.rawQuery(
        "update organizations set sip_domain = slug || '.pbx.localhost' where sip_domain is null",
      )
    })
    this.schema.alterTable('organizations', (table) => {
      table.string('sip_domain', 253).notNullable().alter()
    })
    this.schema.raw(
      'CREATE UNIQUE INDEX organizations_sip_domain_lower_unique ON organizations (lower(sip_domain))',
    )
  }

  async down() {
    this.schema.raw('DROP INDEX IF EXISTS organizations_sip_domain_lower_unique')
    this.schema.alterTable('organizations', (table) => {
      table.dropColumn('sip_domain')
    })
  }
}
