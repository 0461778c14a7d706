import type { Errors, Options } from '~/components/admin_types'
import { Field } from '~/components/field'
import {
  CALL_DESTINATIONS,
  TargetPicker,
  targetErrors,
  type Target,
} from '~/components/target_picker'

export type IvrOption = { digit: string; description: string; target: Target }

export const IVR_DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', '*', '#']
export const IVR_TARGETS = CALL_DESTINATIONS

/** The first key no option uses yet, or null when all twelve are taken. */
export function nextFreeDigit(options: IvrOption[]) {
  return IVR_DIGITS.find((d) => !options.some((o) => o.digit === d)) ?? null
}

type Props = {
  options: IvrOption[]
  onChange: (options: IvrOption[]) => void
  choices: Options
  /** The menu being edited: a menu may send callers back to itself ("repeat"). */
  errors?: Errors
}

/**
 * One row per key the caller can press: the key (each at most once), what it is for, and
 * where it sends the caller. Keys already used are not offered again.
 */
export function IvrOptionsEditor({ options, onChange, choices, errors = {} }: Props) {
  const update = (index: number, change: Partial<IvrOption>) =>
    onChange(options.map((o, i) => (i === index ? { ...o, ...change } : o)))
  const free = nextFreeDigit(options)
  return (
    <fieldset className="ivr-options">
      <legend>Key options</legend>
      {options.length === 0 && (
        <p className="muted">No keys yet: callers only hear the prompt, then the failover.</p>
      )}
      {errors.options && <p className="field-error">{errors.options}</p>}
      {options.map((option, index) => {
        const err = (field: string) => errors[`options.${index}.${field}`]
        return (
          <div key={index} className="ivr-option" data-testid="ivr-option">
            <Field label="Key" error={err('digit')}>
              <select
                value={option.digit}
                onChange={(e) => update(index, { digit: e.target.value })}
              >
                {IVR_DIGITS.filter(
                  (d) => d === option.digit || !options.some((o) => o.digit === d),
                ).map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </select>
            </Field>
            <Field label="Description" error={err('description')}>
              <input
                value={option.description}
                placeholder="e.g. Sales"
                onChange={(e) => update(index, { description: e.target.value })}
              />
            </Field>
            <TargetPicker
              label={`Key ${option.digit} goes to`}
              types={IVR_TARGETS}
              value={option.target}
              onChange={(target) => update(index, { target })}
              options={choices}
              errors={targetErrors(errors, `options.${index}.target`)}
            />
            <button
              type="button"
              className="icon danger"
              aria-label={`Remove key ${option.digit}`}
              onClick={() => onChange(options.filter((_, i) => i !== index))}
            >
              ×
            </button>
          </div>
        )
      })}
      <button
        type="button"
        className="secondary"
        disabled={free === null}
        onClick={() =>
          free !== null &&
          onChange([
            ...options,
            { digit: free, description: '', target: { type: 'extension', id: null } },
          ])
        }
      >
        {free === null ? 'All 12 keys are used' : `Add key ${free}`}
      </button>
    </fieldset>
  )
}
