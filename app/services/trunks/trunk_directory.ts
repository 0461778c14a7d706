import db from '@adonisjs/lucid/services/db'
import type { Infer } from '@vinejs/vine/types'
import type Organization from '#models/organization'
import Trunk from '#models/trunk'
import references from '#services/references/reference_registry'
import { serializeTrunk } from '#transformers/trunk_transformer'
import type { createTrunkValidator, updateTrunkValidator } from '#validators/trunk'
import { assertTrunkShape, fitToKind, TRUNK_DEFAULTS } from '#services/trunks/trunk_shape'
import {
  assertFreeToRestore,
  audit,
  restoreRow,
  softDelete,
  uniquely,
  type Actor,
} from '#services/shared/audited_rows'

export type CreateTrunkInput = Infer<typeof createTrunkValidator>
export type UpdateTrunkInput = Infer<typeof updateTrunkValidator>

/** Writes to an organization's trunks; every change audited in the same transaction. */
export default class TrunkDirectory {
  async create(organization: Organization, input: CreateTrunkInput, actor: Actor) {
    const trunk = new Trunk().merge({
      ...TRUNK_DEFAULTS,
      ...input,
      organizationId: organization.id,
    })
    fitToKind(trunk)
    assertTrunkShape(trunk)
    return uniquely('trunk', () =>
      db.transaction(async (trx) => {
        trunk.useTransaction(trx)
        await trunk.save()
        await audit(actor, 'trunk', 'created', trunk.id, { after: serializeTrunk(trunk) }, trx)
        return trunk
      }),
    )
  }

  /** A missing password keeps the stored one: admins never have to re-type it. */
  async update(trunk: Trunk, input: UpdateTrunkInput, actor: Actor) {
    const before = serializeTrunk(trunk)
    trunk.merge(input)
    fitToKind(trunk)
    assertTrunkShape(trunk)
    return uniquely('trunk', () =>
      db.transaction(async (trx) => {
        trunk.useTransaction(trx)
        await trunk.save()
        const after = serializeTrunk(trunk)
        await audit(actor, 'trunk', 'updated', trunk.id, { before, after }, trx)
        return trunk
      }),
    )
  }

  /**
   * The row lock pairs with the FOR SHARE taken when a route lists trunks: a route being
   * saved with this trunk either commits first (and is found here) or sees it deleted.
   */
  async delete(trunk: Trunk, actor: Actor) {
    await softDelete(trunk, 'trunk', serializeTrunk(trunk), actor, async (trx) => {
      await trx.from('trunks').where('id', trunk.id).forUpdate().select('id')
      await references.assertUnreferenced('trunk', 'trunk', trunk.organizationId, trunk.id)
    })
  }

  async restore(trunk: Trunk, actor: Actor) {
    return restoreRow(trunk, 'trunk', serializeTrunk, actor, (trx) =>
      assertFreeToRestore(
        trx,
        {
          table: 'trunks',
          organizationId: trunk.organizationId,
          column: 'name',
          value: trunk.name,
        },
        'trunk',
      ),
    )
  }
}
