import db from '@adonisjs/lucid/services/db'
import type Extension from '#models/extension'
import AuditTrail from '#services/audit/audit_trail'
import type { FollowMe, Forwarding } from '#enums/extensions'

type Actor = ReturnType<typeof AuditTrail.fromRequest>
type Settings = { dndEnabled?: boolean; forwarding?: Forwarding; followMe?: FollowMe }

/**
 * The personal call settings of an extension (also changed by its own PBX user). Writing
 * the same value again is a no-op: no audit row for a change that did not happen.
 */
export default class ExtensionSettings {
  async setDnd(extension: Extension, enabled: boolean, actor: Actor) {
    return this.#save(extension, { dndEnabled: enabled }, 'extension.dnd_updated', actor)
  }

  async setForwarding(extension: Extension, forwarding: Forwarding, actor: Actor) {
    return this.#save(extension, { forwarding }, 'extension.forwarding_updated', actor)
  }

  async setFollowMe(extension: Extension, followMe: FollowMe, actor: Actor) {
    return this.#save(extension, { followMe }, 'extension.follow_me_updated', actor)
  }

  async #save(extension: Extension, changes: Settings, action: string, actor: Actor) {
    const keys = Object.keys(changes) as (keyof Settings)[]
    const before = Object.fromEntries(keys.map((key) => [key, extension[key]]))
    if (JSON.stringify(before) === JSON.stringify(changes)) return extension
    return db.transaction(async (trx) => {
      extension.useTransaction(trx)
      extension.merge(changes)
      await extension.save()
      await AuditTrail.record(
        actor,
        { action, subjectType: 'extension', subjectId: extension.id, before, after: changes },
        trx,
      )
      return extension
    })
  }
}

type ForwardingInput = Partial<
  Record<
    keyof Forwarding,
    { enabled: boolean; destination?: string | null; timeoutSeconds?: number } | undefined
  >
>

/** A full rule set from a PUT body: left-out conditions are off, no-answer waits 20 s. */
export function normalizeForwarding(input: ForwardingInput): Forwarding {
  const rule = (value: ForwardingInput[keyof Forwarding]) => ({
    enabled: value?.enabled ?? false,
    destination: value?.destination ?? null,
  })
  return {
    always: rule(input.always),
    busy: rule(input.busy),
    noAnswer: { ...rule(input.noAnswer), timeoutSeconds: input.noAnswer?.timeoutSeconds ?? 20 },
    unreachable: rule(input.unreachable),
  }
}
