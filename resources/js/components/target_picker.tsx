import { Field } from '~/components/field'
import type { Errors, ExtensionOption, NamedOption, Options } from '~/components/admin_types'

export type Target = { type: string; id: number | null }

/* Where a menu option, a failover or a schedule can send a call (the same kinds server-side). */
export const CALL_DESTINATIONS = [
  'extension',
  'ring_group',
  'ivr_menu',
  'conference_room',
  'voicemail',
  'hangup',
] as const

export const TARGET_LABELS: Record<string, string> = {
  extension: 'Extension',
  ring_group: 'Ring group',
  ivr_menu: 'IVR menu',
  business_hours: 'Business hours',
  conference_room: 'Conference room',
  voicemail: 'Voicemail',
  hangup: 'Hang up',
}

/* Extensions a call can ring directly (the others are internal aliases of a group/menu/room). */
const RINGABLE = ['user', 'ai_assistant', 'forward']

const extensionLabel = (e: ExtensionOption) =>
  `${e.number} ${e.name}${e.type === 'forward' ? ' (forward)' : ''}${
    e.status !== 'active' ? ' (inactive)' : ''
  }`
const namedLabel = (o: NamedOption) =>
  `${o.number ? `${o.number} ` : ''}${o.name}${o.status && o.status !== 'active' ? ' (inactive)' : ''}`

/** The rows a target type can point at, with the label each is shown by. */
export function choicesFor(type: string, options: Options): { id: number; label: string }[] {
  switch (type) {
    case 'extension':
      return (options.extensions ?? [])
        .filter((e) => RINGABLE.includes(e.type))
        .map((e) => ({ id: e.id, label: extensionLabel(e) }))
    case 'voicemail':
      return (options.extensions ?? [])
        .filter((e) => e.type === 'user' && e.voicemailEnabled)
        .map((e) => ({ id: e.id, label: extensionLabel(e) }))
    case 'ring_group':
      return (options.ringGroups ?? []).map((o) => ({ id: o.id, label: namedLabel(o) }))
    case 'ivr_menu':
      return (options.ivrMenus ?? []).map((o) => ({ id: o.id, label: namedLabel(o) }))
    case 'business_hours':
      return (options.businessHours ?? []).map((o) => ({ id: o.id, label: namedLabel(o) }))
    case 'conference_room':
      return (options.conferenceRooms ?? []).map((o) => ({ id: o.id, label: namedLabel(o) }))
    default:
      return []
  }
}

type Props = {
  /** Visible name of the pair, e.g. "Route calls to". */
  label: string
  types: readonly string[]
  value: Target
  onChange: (value: Target) => void
  options: Options
  /** Server errors of the type and id fields. */
  errors?: { type?: string; id?: string }
}

/**
 * A routing target: what kind of destination, then which one. Changing the kind clears the
 * choice, and kinds without a destination (hang up) hide the second select.
 */
export function TargetPicker({ label, types, value, onChange, options, errors = {} }: Props) {
  const choices = choicesFor(value.type, options)
  const needsId = value.type !== 'hangup' && value.type !== ''
  return (
    <fieldset className="target-picker">
      <legend>{label}</legend>
      <Field label="Kind" error={errors.type}>
        <select value={value.type} onChange={(e) => onChange({ type: e.target.value, id: null })}>
          {types.map((type) => (
            <option key={type} value={type}>
              {TARGET_LABELS[type] ?? type}
            </option>
          ))}
        </select>
      </Field>
      {needsId && (
        <Field
          label={TARGET_LABELS[value.type] ?? 'Destination'}
          error={errors.id}
          hint={
            choices.length === 0 ? `No ${TARGET_LABELS[value.type]?.toLowerCase()} yet` : undefined
          }
        >
          <select
            value={value.id ?? ''}
            onChange={(e) =>
              onChange({ type: value.type, id: e.target.value ? Number(e.target.value) : null })
            }
          >
            <option value="">Choose…</option>
            {choices.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </Field>
      )}
    </fieldset>
  )
}

/** Errors of a nested target, e.g. prefix "routing" → { type: errors['routing.type'], … }. */
export function targetErrors(errors: Errors, prefix: string) {
  return { type: errors[`${prefix}.type`], id: errors[`${prefix}.id`] }
}

/** How a stored target reads in a table. */
export function describeTarget(target: Target, options: Options) {
  if (target.type === 'hangup') return 'Hang up'
  const found = choicesFor(target.type, options).find((c) => c.id === target.id)
  return `${TARGET_LABELS[target.type] ?? target.type}: ${found?.label ?? `#${target.id}`}`
}
