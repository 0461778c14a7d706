import { usePage } from '@inertiajs/react'
import { useEffect, useState } from 'react'
import type { SharedProps } from '~/types'

type Toast = { id: number; kind: 'success' | 'error'; text: string }
const EVENT = 'opbx:toast'
let nextId = 1

/** A toast from client code (copied, upload finished…): same place as the server's. */
export function toast(text: string, kind: Toast['kind'] = 'success') {
  window.dispatchEvent(new CustomEvent(EVENT, { detail: { kind, text } }))
}

/**
 * The signed-in pages show the result of the last action as toasts in a corner: the
 * server's flash messages (one page load long) plus client ones. Errors stay until
 * dismissed; a success message stays until the next one or until dismissed, so nobody
 * misses it. (Sign-in pages keep the inline `Flash` on their form.)
 */
export function Toaster() {
  const { flash } = usePage<SharedProps>().props
  const [local, setLocal] = useState<Toast[]>([])
  /* Dismissals hold for the page load that showed them: the next flash is shown again. */
  const [dismissal, setDismissal] = useState<{ of: unknown; texts: string[] }>({
    of: null,
    texts: [],
  })
  const dismissed = dismissal.of === flash ? dismissal.texts : []

  useEffect(() => {
    const onToast = (event: Event) => {
      const { kind, text } = (event as CustomEvent<Omit<Toast, 'id'>>).detail
      setLocal((list) => [...list.slice(-2), { id: nextId++, kind, text }])
    }
    window.addEventListener(EVENT, onToast)
    return () => window.removeEventListener(EVENT, onToast)
  }, [])
  const server: Toast[] = []
  if (flash.error) server.push({ id: -1, kind: 'error', text: flash.error })
  if (flash.success) server.push({ id: -2, kind: 'success', text: flash.success })
  const shown = [...server.filter((t) => !dismissed.includes(t.text)), ...local]

  return (
    <div className="toasts">
      {shown.map((t) => (
        /* The close button sits beside the live region so only the message is announced. */
        <div key={`${t.id}-${t.text}`} className={`alert toast alert-${t.kind}`}>
          <span role={t.kind === 'error' ? 'alert' : 'status'}>{t.text}</span>
          <button
            type="button"
            className="toast-close"
            aria-label="Dismiss"
            onClick={() =>
              t.id < 0
                ? setDismissal({ of: flash, texts: [...dismissed, t.text] })
                : setLocal((list) => list.filter((x) => x.id !== t.id))
            }
          >
            ×
          </button>
        </div>
      ))}
    </div>
  )
}
