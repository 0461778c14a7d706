import IvrMenu from '#models/ivr_menu'
import IvrMenuOption from '#models/ivr_menu_option'
import type Organization from '#models/organization'
import type { IvrTargetType } from '#enums/ivr'

let counter = 0

/** A live TTS menu straight in the database, with the given options (the API is under test). */
export async function makeMenu(
  organization: Organization,
  overrides: Partial<IvrMenu> = {},
  options: { digit: string; type: IvrTargetType; id?: number | null }[] = [],
) {
  counter += 1
  const menu = await IvrMenu.create({
    organizationId: organization.id,
    name: `Menu ${counter}`,
    promptTtsText: 'Press 1 for sales',
    firstDigitTimeout: 5,
    interDigitTimeout: 3,
    maxRetries: 3,
    failoverType: 'hangup',
    failoverId: null,
    status: 'active',
    ...overrides,
  })
  for (const [index, option] of options.entries()) {
    await IvrMenuOption.create({
      organizationId: organization.id,
      ivrMenuId: menu.id,
      digit: option.digit,
      targetType: option.type,
      targetId: option.id ?? null,
      position: index + 1,
    })
  }
  return menu
}

export const ttsPrompt = { ttsText: 'Welcome. Press 1 for sales, 2 for support.' }

export const fieldsOf = (body: { error: { details: { fields: { field: string }[] } } }) =>
  body.error.details.fields.map((f) => f.field)
