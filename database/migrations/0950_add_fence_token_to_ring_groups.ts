import { BaseSchema } from '@adonisjs/lucid/schema'

/*
 * Lock fencing for ring-group writes: each write stores the fencing token of the Redis lock
 * it ran under and is refused when the stored token is larger (a newer holder wrote), so a
 * holder paused past its lock's TTL cannot overwrite the next holder's change. bigint: the
 * tokens start from the clock in microseconds. rotation_position goes: round robin advances
 * a Redis counter instead and nothing reads the column any more.
 */
export default class extends BaseSchema {
  protected tableName = 'ring_groups'

  async up() {
    this.schema.alterTable(this.tableName, (table) => {
      table.bigInteger('fence_token').notNullable().defaultTo(0)
      table.dropColumn('rotation_position')
    })
  }

  async down() {
    this.schema.alterTable(this.tableName, (table) => {
      table.dropColumn('fence_token')
      table.integer('rotation_position').notNullable().defaultTo(0)
    })
  }
}
