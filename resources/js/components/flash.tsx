import { usePage } from '@inertiajs/react'
import type { SharedProps } from '~/types'

export function Flash() {
  const { flash } = usePage<SharedProps>().props
  return (
    <>
      {flash.error && (
        <div className="alert alert-error" role="alert">
          {flash.error}
        </div>
      )}
      {flash.success && (
        <div className="alert alert-success" role="status">
          {flash.success}
        </div>
      )}
    </>
  )
}
