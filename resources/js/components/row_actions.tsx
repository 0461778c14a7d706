import { router } from '@inertiajs/react'
import type { ReactNode } from 'react'
import { ConfirmButton } from '~/components/confirm_button'
import type { Abilities } from '~/components/admin_types'

type Props = {
  /** The resource's path, e.g. "/ring-groups". */
  path: string
  id: number
  /** How the row is called in labels and the confirmation, e.g. "ring group Sales". */
  name: string
  trashed: boolean
  can: Abilities
  onEdit: () => void
  /** What deleting it means for calls. */
  deleteMessage: string
  /** More actions of a live row, placed between Edit and Delete. */
  children?: ReactNode
}

/** Edit / Delete (confirmed) on a live row, Restore on a deleted one, as the policy allows. */
export function RowActions({
  path,
  id,
  name,
  trashed,
  can,
  onEdit,
  deleteMessage,
  children,
}: Props) {
  if (trashed)
    return can.restore ? (
      <div className="row-actions">
        <button
          type="button"
          className="link"
          aria-label={`Restore ${name}`}
          onClick={() => router.post(`${path}/${id}/restore`, {}, { preserveScroll: true })}
        >
          Restore
        </button>
      </div>
    ) : null
  return (
    <div className="row-actions">
      {can.update && (
        <button type="button" className="link" aria-label={`Edit ${name}`} onClick={onEdit}>
          Edit
        </button>
      )}
      {children}
      {can.delete && (
        <ConfirmButton
          label={`Delete ${name}`}
          title={`Delete ${name}?`}
          message={deleteMessage}
          onConfirm={() => router.delete(`${path}/${id}`, { preserveScroll: true })}
        >
          Delete
        </ConfirmButton>
      )}
    </div>
  )
}
