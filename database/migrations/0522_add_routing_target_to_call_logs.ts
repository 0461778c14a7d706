import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Where an inbound call was routed: the target its DID named when the call arrived (the
 * DID itself is phone_number_id). Kept on the call, because the DID may be re-routed later.
 */
export default class extends BaseSchema {
  protected tableName = 'call_logs'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.string('routing_target_type', 30).nullable()
      table.integer('routing_target_id').nullable()
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('routing_target_type')
      table.dropColumn('routing_target_id')
    })
  }
}
