import type IvrMenu from '#models/ivr_menu'
import { routingMenu } from '#services/voice/routing_reads'
import { cxml, type CxmlNode } from '#services/voice/cxml'
import { actionUrl, deadEnd, type VoiceCall } from '#services/voice/voice_call'
import { promptVerb } from '#services/voice/prompts'
import { routeTarget } from '#services/voice/target_router'

const DEFAULT_PROMPT = 'Please choose an option.'
const DEFAULT_INVALID = 'Sorry, that is not a valid choice.'
const DEFAULT_TIMEOUT = 'Sorry, we did not receive your choice.'

function activeMenu(call: VoiceCall, id: number) {
  return routingMenu(call, id)
}

/**
 * The menu as one Gather. `actionOnEmptyResult` makes Cloudonix call back on silence too
 * (without it a timeout silently hangs up, OPBX bug), and an empty `finishOnKey` lets `#`
 * be an option key. `attempt` counts the presentations already made.
 */
export async function presentMenu(call: VoiceCall, id: number): Promise<CxmlNode> {
  const menu = await activeMenu(call, id)
  if (!menu) return deadEnd(call, 'no active IVR menu', { id })
  return gather(call, menu, 0, null)
}

async function gather(call: VoiceCall, menu: IvrMenu, attempt: number, lead: CxmlNode | null) {
  const prompt = await promptVerb(call, menu.prompt('prompt'), DEFAULT_PROMPT)
  const action = actionUrl('ivr-input', { menu: menu.id, attempt })
  const verbs = lead ? [lead, prompt] : [prompt]
  return cxml.response(
    cxml.gather(
      {
        action,
        input: 'dtmf',
        numDigits: 1,
        finishOnKey: '',
        maxTimeout: menu.firstDigitTimeout,
        timeout: menu.interDigitTimeout,
        actionOnEmptyResult: true,
      },
      ...verbs,
    ),
  )
}

/**
 * `/api/voice/ivr-input`: a key with an option goes to its target; silence or another key
 * plays the timeout or invalid prompt and the menu again, up to `max_retries` retries,
 * then the caller goes to the menu's failover. A lone "0" is a key, not silence.
 */
export async function menuInput(call: VoiceCall, id: number, attempt: number) {
  const menu = await activeMenu(call, id)
  if (!menu) return deadEnd(call, 'no active IVR menu', { id })
  const digits = call.request.digits
  const option = digits === null ? null : menu.options.find((o) => o.digit === digits)
  if (option) return routeTarget(call, { type: option.targetType, id: option.targetId })
  if (attempt >= menu.maxRetries)
    return routeTarget(call, { type: menu.failoverType, id: menu.failoverId })
  const lead =
    digits === null
      ? await promptVerb(call, menu.prompt('timeoutPrompt'), DEFAULT_TIMEOUT)
      : await promptVerb(call, menu.prompt('invalidPrompt'), DEFAULT_INVALID)
  return gather(call, menu, attempt + 1, lead)
}
