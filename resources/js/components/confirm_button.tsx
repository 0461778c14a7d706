import { useState, type ReactNode } from 'react'
import { Modal } from '~/components/modal'

type Props = {
  /** The button's text, e.g. "Delete". */
  children: ReactNode
  /** Accessible name when the visible text is not enough ("Delete ring group Sales"). */
  label?: string
  title: string
  message: ReactNode
  confirmText?: string
  onConfirm: () => void
  className?: string
}

/** A destructive action behind a confirmation dialog whose safe choice has the focus. */
export function ConfirmButton({
  children,
  label,
  title,
  message,
  confirmText = 'Delete',
  onConfirm,
  className = 'link danger',
}: Props) {
  const [open, setOpen] = useState(false)
  return (
    <>
      <button type="button" className={className} aria-label={label} onClick={() => setOpen(true)}>
        {children}
      </button>
      {open && (
        <Modal title={title} onClose={() => setOpen(false)}>
          <p>{message}</p>
          <div className="actions">
            <button
              type="button"
              className="secondary"
              data-autofocus
              onClick={() => setOpen(false)}
            >
              Cancel
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                setOpen(false)
                onConfirm()
              }}
            >
              {confirmText}
            </button>
          </div>
        </Modal>
      )}
    </>
  )
}
