import { useState } from 'react'

/** A secret shown once after creation, with a copy button; the server never shows it again. */
export function CopyOnce({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState(false)
  return (
    <div className="notice" role="status" data-testid="copy-once">
      <p>
        <strong>{label}</strong> (shown only once, store it now):
      </p>
      <p>
        <code aria-label={label}>{value}</code>{' '}
        <button
          type="button"
          className="secondary"
          onClick={() =>
            navigator.clipboard?.writeText(value).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </p>
    </div>
  )
}
