import type IvrMenu from '#models/ivr_menu'
import type IvrMenuOption from '#models/ivr_menu_option'

export function serializeIvrOption(option: IvrMenuOption) {
  return {
    id: option.id,
    digit: option.digit,
    description: option.description ?? null,
    target: { type: option.targetType, id: option.targetId ?? null },
    position: option.position,
  }
}

/** Options are included when loaded (every API path loads them). */
export function serializeIvrMenu(menu: IvrMenu) {
  return {
    id: menu.id,
    organizationId: menu.organizationId,
    name: menu.name,
    description: menu.description ?? null,
    prompt: menu.prompt('prompt'),
    invalidPrompt: menu.prompt('invalidPrompt'),
    timeoutPrompt: menu.prompt('timeoutPrompt'),
    firstDigitTimeout: menu.firstDigitTimeout,
    interDigitTimeout: menu.interDigitTimeout,
    maxRetries: menu.maxRetries,
    failover: { type: menu.failoverType, id: menu.failoverId ?? null },
    status: menu.status,
    options: (menu.options ?? []).map(serializeIvrOption),
    createdBy: menu.createdBy ?? null,
    updatedBy: menu.updatedBy ?? null,
    createdAt: menu.createdAt.toISO(),
    updatedAt: menu.updatedAt.toISO(),
    deletedAt: menu.deletedAt?.toISO() ?? null,
  }
}
