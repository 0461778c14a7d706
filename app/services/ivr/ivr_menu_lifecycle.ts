import { DateTime } from 'luxon'
import db from '@adonisjs/lucid/services/db'
import type IvrMenu from '#models/ivr_menu'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'
import references from '#services/references/reference_registry'
import { lockMenus } from '#services/ivr/menu_lock'
import { serializeIvrMenu } from '#transformers/ivr_menu_transformer'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

/**
 * Soft delete and restore. A menu still reached from an extension, a phone number, another
 * menu… cannot go (409 with the list). Its options stay with it, so restore brings it back whole.
 */
export default class IvrMenuLifecycle {
  async delete(menu: IvrMenu, actor: Actor) {
    const before = serializeIvrMenu(menu)
    await db.transaction(async (trx) => {
      /* Under the menu lock, no other menu can start pointing here between check and delete. */
      await lockMenus(trx, menu.organizationId)
      await references.assertUnreferenced('ivr_menu', 'IVR menu', menu.organizationId, menu.id)
      menu.useTransaction(trx)
      menu.deletedAt = DateTime.now()
      await menu.save()
      await AuditTrail.record(
        actor,
        { action: 'ivr_menu.deleted', subjectType: 'ivr_menu', subjectId: menu.id, before },
        trx,
      )
    })
  }

  /* The name may have been reused meanwhile: restoring would break its uniqueness. */
  async restore(menu: IvrMenu, actor: Actor) {
    return db.transaction(async (trx) => {
      const clash = await trx
        .from('ivr_menus')
        .where('organization_id', menu.organizationId)
        .whereNull('deleted_at')
        .whereRaw('lower(name) = lower(?)', [menu.name])
        .first()
      if (clash)
        throw ApiException.conflict(`IVR menu "${clash.name}" now uses this name: rename it first`)
      menu.useTransaction(trx)
      menu.deletedAt = null
      await menu.save()
      const after = serializeIvrMenu(menu)
      await AuditTrail.record(
        actor,
        { action: 'ivr_menu.restored', subjectType: 'ivr_menu', subjectId: menu.id, after },
        trx,
      )
      return menu
    })
  }
}
