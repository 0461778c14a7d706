import db from '@adonisjs/lucid/services/db'
import type Organization from '#models/organization'
import IvrMenu from '#models/ivr_menu'
import ApiException from '#exceptions/api_exception'
import AuditTrail from '#services/audit/audit_trail'
import { isUniqueViolation } from '#services/shared/field_error'
import { assertNoCycle } from '#services/ivr/menu_graph'
import { lockMenus } from '#services/ivr/menu_lock'
import { serializeIvrMenu } from '#transformers/ivr_menu_transformer'
import { apply, replaceOptions, type IvrMenuInput } from '#services/ivr/menu_input'

type Actor = ReturnType<typeof AuditTrail.fromRequest>

const DEFAULTS = {
  description: null,
  firstDigitTimeout: 5,
  interDigitTimeout: 3,
  maxRetries: 3,
  failoverType: 'hangup' as const,
  failoverId: null,
  status: 'active' as const,
}

/**
 * Creates and edits menus with their options in one transaction: options sent replace the
 * whole set, and the result must not let a caller loop between menus.
 */
export default class IvrMenuWriter {
  create(organization: Organization, input: IvrMenuInput, actor: Actor) {
    const menu = new IvrMenu().merge({ ...DEFAULTS, organizationId: organization.id })
    menu.createdBy = actor.actorUserId
    return this.#write(menu, input, 'ivr_menu.created', null, actor)
  }

  update(menu: IvrMenu, input: IvrMenuInput, actor: Actor) {
    return this.#write(menu, input, 'ivr_menu.updated', serializeIvrMenu(menu), actor)
  }

  async #write(
    menu: IvrMenu,
    input: IvrMenuInput,
    action: string,
    before: ReturnType<typeof serializeIvrMenu> | null,
    actor: Actor,
  ) {
    return db.transaction(async (trx) => {
      await lockMenus(trx, menu.organizationId)
      apply(menu, input)
      menu.updatedBy = actor.actorUserId
      menu.useTransaction(trx)
      try {
        await menu.save()
      } catch (error) {
        if (!isUniqueViolation(error)) throw error
        throw ApiException.conflict('Another IVR menu took this name meanwhile')
      }
      if (input.options) await replaceOptions(menu, input.options, trx)
      await assertNoCycle(trx, menu.organizationId, menu.id)
      await menu.load('options')
      const after = serializeIvrMenu(menu)
      const entry = { action, subjectType: 'ivr_menu', subjectId: menu.id, before, after }
      await AuditTrail.record(actor, entry, trx)
      return menu
    })
  }
}
