import { useEffect, useId, useRef, type ReactNode } from 'react'

type Props = {
  title: string
  onClose: () => void
  children: ReactNode
  className?: string
}

/**
 * A modal <dialog>: focus moves into it (the browser's showModal), Escape closes it, and
 * focus returns to whatever opened it when it closes.
 */
export function Modal({ title, onClose, children, className }: Props) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null
    const dialog = ref.current
    if (dialog && !dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal()
      else dialog.setAttribute('open', '')
      /* showModal focuses the first focusable element; the safe choice is marked instead. */
      dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus()
    }
    return () => opener?.focus?.()
  }, [])
  return (
    <dialog
      ref={ref}
      className={`card dialog ${className ?? ''}`}
      aria-labelledby={titleId}
      onClose={onClose}
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  )
}
