import type { TransactionClientContract } from '@adonisjs/lucid/types/database'

/**
 * Serializes every menu write of one organization: the rows are locked in id order (so two
 * writers never deadlock), hence two concurrent edits cannot each pass the cycle check
 * against the other's old state and together close a loop.
 */
export async function lockMenus(trx: TransactionClientContract, organizationId: number) {
  await trx
    .from('ivr_menus')
    .where('organization_id', organizationId)
    .orderBy('id')
    .forUpdate()
    .select('id')
}
