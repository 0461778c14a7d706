import type { FieldContext } from '@vinejs/vine/types'

/*
 * For `.optional().requiredWhen(sentAsNull)` on update fields whose column cannot be
 * empty: absent means "keep", but an explicit null (or "", which the body parser turns
 * into null) is a 422 instead of being silently ignored.
 */
export const sentAsNull = (field: FieldContext) =>
  Object.hasOwn(field.parent ?? {}, field.name as string)
