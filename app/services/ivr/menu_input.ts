import type { Infer } from '@vinejs/vine/types'
import type { TransactionClientContract } from '@adonisjs/lucid/types/database'
import type IvrMenu from '#models/ivr_menu'
import IvrMenuOption from '#models/ivr_menu_option'
import { routingChanged } from '#services/voice/routing_cache'
import type { updateIvrMenuValidator } from '#validators/ivr_menu'

export type IvrMenuInput = Infer<typeof updateIvrMenuValidator>

/* PATCH semantics: an absent key keeps the column; a hangup target never keeps a stale id. */
export function apply(menu: IvrMenu, input: IvrMenuInput) {
  if (input.name !== undefined) menu.name = input.name
  if (input.description !== undefined) menu.description = input.description
  if (input.status !== undefined) menu.status = input.status
  if (input.firstDigitTimeout !== undefined) menu.firstDigitTimeout = input.firstDigitTimeout
  if (input.interDigitTimeout !== undefined) menu.interDigitTimeout = input.interDigitTimeout
  if (input.maxRetries !== undefined) menu.maxRetries = input.maxRetries
  if (input.prompt) menu.setPrompt('prompt', input.prompt)
  if (input.invalidPrompt !== undefined) menu.setPrompt('invalidPrompt', input.invalidPrompt)
  if (input.timeoutPrompt !== undefined) menu.setPrompt('timeoutPrompt', input.timeoutPrompt)
  if (input.failover) {
    menu.failoverType = input.failover.type
    menu.failoverId = input.failover.type === 'hangup' ? null : (input.failover.id ?? null)
  }
}

/* Options have no identity of their own: the sent list replaces the stored one. */
export async function replaceOptions(
  menu: IvrMenu,
  options: NonNullable<IvrMenuInput['options']>,
  trx: TransactionClientContract,
) {
  await trx.from('ivr_menu_options').where('ivr_menu_id', menu.id).delete()
  // The bulk delete skips the model hooks: the routing cache is told here, after the commit.
  await routingChanged({ organizationIds: [menu.organizationId] }, trx)
  if (options.length === 0) return
  await IvrMenuOption.createMany(
    options.map((option, index) => ({
      organizationId: menu.organizationId,
      ivrMenuId: menu.id,
      digit: option.digit,
      description: option.description ?? null,
      targetType: option.target.type,
      targetId: option.target.type === 'hangup' ? null : (option.target.id ?? null),
      position: index + 1,
    })),
    { client: trx },
  )
}
