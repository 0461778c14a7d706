import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from 'react'

type Props = {
  label: ReactNode
  error?: string
  hint?: ReactNode
  className?: string
  children: ReactElement<Record<string, unknown>>
}

/**
 * A labelled control with its server-side error right below it. The label names the
 * control; the hint and error describe it (aria-describedby), so a screen reader reads
 * them with it without making them part of its name.
 */
export function Field({ label, error, hint, className, children }: Props) {
  const id = useId()
  const described = [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ')
  const control = isValidElement(children)
    ? cloneElement(children, {
        id: id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': described || undefined,
      })
    : children
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {control}
      {hint && (
        <span id={`${id}-hint`} className="hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={`${id}-error`} className="field-error">
          {error}
        </span>
      )}
    </div>
  )
}
