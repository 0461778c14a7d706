import type { ChangeEvent } from 'react'

/* What these helpers need of Inertia's useForm (any form shape). */
export type BindableForm = {
  data: Record<string, any>
  setData: (key: any, value: any) => void
  post: (url: string, options?: object) => void
  patch: (url: string, options?: object) => void
}
type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement

/** value/onChange of a text-like control bound to one field of the form. */
export function bind(form: BindableForm, key: string) {
  return {
    value: form.data[key] as string,
    onChange: (event: ChangeEvent<Control>) => form.setData(key, event.target.value),
  }
}

/** checked/onChange of a checkbox bound to one boolean field. */
export function bindCheck(form: BindableForm, key: string) {
  return {
    type: 'checkbox',
    checked: Boolean(form.data[key]),
    onChange: (event: ChangeEvent<HTMLInputElement>) => form.setData(key, event.target.checked),
  }
}

/** Creates (POST path) or edits (PATCH path/id) and closes the editor when it saved. */
export function saveForm(
  form: BindableForm,
  path: string,
  row: { id: number } | null,
  onClose: () => void,
) {
  const visit = { preserveScroll: true, onSuccess: onClose }
  if (row) form.patch(`${path}/${row.id}`, visit)
  else form.post(path, visit)
}
