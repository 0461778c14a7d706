import { useRef, useState } from 'react'
import { Field } from '~/components/field'

export type UploadResult = { ok: true } | { ok: false; errors: Record<string, string> }

function xsrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/)
  return match ? decodeURIComponent(match[1]) : null
}

/**
 * POSTs multipart form data with XMLHttpRequest, whose upload events give the progress
 * that fetch cannot. Field errors come back as the API envelope (422 details.fields).
 */
export function uploadWithProgress(
  url: string,
  body: FormData,
  onProgress: (fraction: number) => void,
): Promise<UploadResult> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.setRequestHeader('Accept', 'application/json')
    const token = xsrfToken()
    if (token) xhr.setRequestHeader('X-XSRF-TOKEN', token)
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total)
    }
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve({ ok: true })
      let errors: Record<string, string> = { form: `Upload failed (${xhr.status})` }
      try {
        const answer = JSON.parse(xhr.responseText)
        const fields = answer?.error?.details?.fields as { field: string; message: string }[]
        if (fields?.length) errors = Object.fromEntries(fields.map((f) => [f.field, f.message]))
        else if (answer?.error?.message) errors = { form: answer.error.message }
      } catch {
        /* Not JSON (a proxy's error page): the status says enough. */
      }
      resolve({ ok: false, errors })
    }
    xhr.onerror = () => resolve({ ok: false, errors: { form: 'The upload was interrupted' } })
    xhr.send(body)
  })
}

/** A progress bar that screen readers read as a percentage. */
export function ProgressBar({ fraction, label }: { fraction: number; label: string }) {
  const percent = Math.round(fraction * 100)
  return (
    <div className="progress">
      <progress max={100} value={percent} aria-label={label} />
      <span aria-hidden="true">{percent}%</span>
    </div>
  )
}

type Props = {
  url: string
  /** The multipart field name of the file. */
  fileField: string
  accept: string
  label: string
  extraFields?: Record<string, string>
  submitText: string
  onDone: () => void
  /** Field errors from outside (e.g. a required name) shown next to the file. */
  onErrors?: (errors: Record<string, string>) => void
}

/** A file input with an upload button and a progress bar while the bytes go up. */
export function UploadField({
  url,
  fileField,
  accept,
  label,
  extraFields = {},
  submitText,
  onDone,
  onErrors,
}: Props) {
  const input = useRef<HTMLInputElement>(null)
  const [progress, setProgress] = useState<number | null>(null)
  const [error, setError] = useState<string | null>(null)

  async function send() {
    const file = input.current?.files?.[0]
    if (!file) return setError('Choose a file first')
    const body = new FormData()
    for (const [k, v] of Object.entries(extraFields)) body.append(k, v)
    body.append(fileField, file)
    setError(null)
    setProgress(0)
    const result = await uploadWithProgress(url, body, setProgress)
    setProgress(null)
    if (result.ok) {
      if (input.current) input.current.value = ''
      onDone()
      return
    }
    setError(result.errors[fileField] ?? result.errors.form ?? null)
    onErrors?.(result.errors)
  }

  return (
    <div className="upload-field">
      <Field label={label} error={error ?? undefined}>
        <input ref={input} type="file" accept={accept} />
      </Field>
      {progress !== null && <ProgressBar fraction={progress} label={`${label}: upload progress`} />}
      <button type="button" onClick={send} disabled={progress !== null}>
        {progress !== null ? 'Uploading…' : submitText}
      </button>
    </div>
  )
}
