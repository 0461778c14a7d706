import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react'

/**
 * Which row a page is editing: none, a new one, or an existing row. Opening moves focus to
 * the editor's heading so keyboard and screen reader users land in the form.
 */
export function useEditor<Row>() {
  const [state, setState] = useState<{ mode: 'closed' | 'new' | 'edit'; row: Row | null }>({
    mode: 'closed',
    row: null,
  })
  return {
    ...state,
    isOpen: state.mode !== 'closed',
    create: () => setState({ mode: 'new', row: null }),
    edit: (row: Row) => setState({ mode: 'edit', row }),
    close: () => setState({ mode: 'closed', row: null }),
  }
}

type Props = {
  title: string
  onSubmit: () => void
  onCancel: () => void
  processing: boolean
  submitText: string
  /** A form-level error (e.g. a 409 flash is shown as a toast; this is for client checks). */
  children: ReactNode
  testId?: string
}

/** The create/edit form of a resource page, shown above its table. */
export function EditorPanel({
  title,
  onSubmit,
  onCancel,
  processing,
  submitText,
  children,
  testId,
}: Props) {
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    heading.current?.focus()
    heading.current?.scrollIntoView?.({ block: 'nearest' })
  }, [title])
  return (
    <form
      className="card editor"
      noValidate
      data-testid={testId}
      aria-labelledby="editor-title"
      onSubmit={(event: FormEvent) => {
        event.preventDefault()
        onSubmit()
      }}
    >
      <h2 id="editor-title" ref={heading} tabIndex={-1}>
        {title}
      </h2>
      {children}
      <div className="actions">
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" disabled={processing}>
          {processing ? 'Saving…' : submitText}
        </button>
      </div>
    </form>
  )
}
