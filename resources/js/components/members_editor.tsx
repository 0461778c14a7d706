import { useRef, useState } from 'react'
import type { Errors, ExtensionOption } from '~/components/admin_types'

export type Member = { extensionId: number }

type Props = {
  members: Member[]
  onChange: (members: Member[]) => void
  extensions: ExtensionOption[]
  errors?: Errors
}

/** Moves the item at `from` to `to`, the rest keeping their order. */
export function moveItem<T>(list: T[], from: number, to: number): T[] {
  if (from === to || to < 0 || to >= list.length) return list
  const next = [...list]
  const [item] = next.splice(from, 1)
  next.splice(to, 0, item)
  return next
}

/** Ring order → the priorities the API stores (1 rings first). */
export function withPriorities(members: Member[]) {
  return members.map((m, index) => ({ extensionId: m.extensionId, priority: index + 1 }))
}

type Choice = { id: number; label: string }

type OrderedProps = {
  legend: string
  /** The chosen ids, in order. */
  ids: number[]
  onChange: (ids: number[]) => void
  /** Everything that may be chosen (labels also name the chosen ones). */
  choices: Choice[]
  /** Field errors by position, e.g. the API's members.2.extensionId. */
  errorAt?: (index: number) => string | undefined
  error?: string
  emptyText: string
  addLabel: string
  testId?: string
}

/**
 * An ordered choice of rows (ring group members, a route's trunks). Order is changed by
 * dragging a row onto another, or with each row's Move up / Move down buttons (keyboard and
 * screen readers); a live region says where the row went.
 */
export function OrderedPicker({
  legend,
  ids,
  onChange,
  choices,
  errorAt = () => undefined,
  error,
  emptyText,
  addLabel,
  testId,
}: OrderedProps) {
  const [dragged, setDragged] = useState<number | null>(null)
  const [over, setOver] = useState<number | null>(null)
  const [announcement, setAnnouncement] = useState('')
  const [adding, setAdding] = useState('')
  const list = useRef<HTMLOListElement>(null)
  const labels = new Map(choices.map((c) => [c.id, c.label]))
  const name = (id: number) => labels.get(id) ?? `#${id} (no longer available)`
  const candidates = choices.filter((c) => !ids.includes(c.id))

  function move(from: number, to: number, focus: 'up' | 'down' | null = null) {
    const next = moveItem(ids, from, to)
    if (next === ids) return
    onChange(next)
    setAnnouncement(`${name(ids[from])} moved to position ${to + 1} of ${ids.length}`)
    /* Keep the keyboard on the button just pressed, now on the moved row. */
    if (focus)
      requestAnimationFrame(() =>
        list.current?.querySelectorAll<HTMLButtonElement>(`[data-move="${focus}"]`)[to]?.focus(),
      )
  }

  return (
    <fieldset className="members-editor" data-testid={testId}>
      <legend>{legend}</legend>
      {ids.length === 0 ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <ol ref={list} className="members">
          {ids.map((id, index) => {
            const rowError = errorAt(index)
            return (
              <li
                key={id}
                draggable
                className={`member${over === index ? ' drop-target' : ''}${dragged === index ? ' dragging' : ''}`}
                onDragStart={(e) => {
                  setDragged(index)
                  e.dataTransfer?.setData('text/plain', String(index))
                  if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move'
                }}
                onDragOver={(e) => {
                  e.preventDefault()
                  setOver(index)
                }}
                onDragLeave={() => setOver((o) => (o === index ? null : o))}
                onDrop={(e) => {
                  e.preventDefault()
                  const from = dragged ?? Number(e.dataTransfer?.getData('text/plain'))
                  if (Number.isInteger(from)) move(from, index)
                  setDragged(null)
                  setOver(null)
                }}
                onDragEnd={() => {
                  setDragged(null)
                  setOver(null)
                }}
              >
                <span className="drag-handle" aria-hidden="true">
                  ⠿
                </span>
                <span className="position">{index + 1}.</span>
                <span className="member-name">{name(id)}</span>
                {rowError && <span className="field-error">{rowError}</span>}
                <span className="member-actions">
                  <button
                    type="button"
                    className="icon"
                    data-move="up"
                    aria-label={`Move ${name(id)} up`}
                    disabled={index === 0}
                    onClick={() => move(index, index - 1, 'up')}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon"
                    data-move="down"
                    aria-label={`Move ${name(id)} down`}
                    disabled={index === ids.length - 1}
                    onClick={() => move(index, index + 1, 'down')}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="icon danger"
                    aria-label={`Remove ${name(id)}`}
                    onClick={() => {
                      onChange(ids.filter((_, i) => i !== index))
                      setAnnouncement(`${name(id)} removed`)
                    }}
                  >
                    ×
                  </button>
                </span>
              </li>
            )
          })}
        </ol>
      )}
      {error && <p className="field-error">{error}</p>}
      <div className="inline">
        <label>
          <span>{addLabel}</span>
          <select value={adding} onChange={(e) => setAdding(e.target.value)}>
            <option value="">Choose…</option>
            {candidates.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="secondary"
          disabled={!adding}
          onClick={() => {
            onChange([...ids, Number(adding)])
            setAnnouncement(`${name(Number(adding))} added at position ${ids.length + 1}`)
            setAdding('')
          }}
        >
          Add
        </button>
      </div>
      <p className="visually-hidden" aria-live="polite" data-testid="order-announcement">
        {announcement}
      </p>
    </fieldset>
  )
}

/** A ring group's members: active user extensions, in ring order. */
export function MembersEditor({ members, onChange, extensions, errors = {} }: Props) {
  const chosen = new Set(members.map((m) => m.extensionId))
  const choices = extensions
    .filter((e) => (e.type === 'user' && e.status === 'active') || chosen.has(e.id))
    .map((e) => ({ id: e.id, label: `${e.number} ${e.name}` }))
  return (
    <OrderedPicker
      legend="Members (ring order)"
      ids={members.map((m) => m.extensionId)}
      onChange={(ids) => onChange(ids.map((extensionId) => ({ extensionId })))}
      choices={choices}
      errorAt={(i) => errors[`members.${i}.extensionId`] ?? errors[`members.${i}.priority`]}
      error={errors.members}
      emptyText="No members yet: add at least one user extension."
      addLabel="Add member"
      testId="members"
    />
  )
}
