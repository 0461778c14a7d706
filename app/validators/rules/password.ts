import vine from '@vinejs/vine'
import type { FieldContext } from '@vinejs/vine/types'
import { passwordProblems } from '#services/auth/password_policy'

/**
 * The password policy as a VineJS rule. The email it must not contain comes from a
 * sibling field (user creation) or from the validator's meta (changing one's own).
 */
const strongPasswordRule = vine.createRule(
  (value: unknown, options: { emailField?: string }, field: FieldContext) => {
    if (typeof value !== 'string') return
    const sibling = options.emailField ? field.parent?.[options.emailField] : undefined
    const email = typeof sibling === 'string' ? sibling : (field.meta as { email?: string }).email
    const [first] = passwordProblems(value, email)
    if (first) field.report(first, 'strongPassword', field)
  },
)

export function strongPassword(options: { emailField?: string } = {}) {
  return vine.string().use(strongPasswordRule(options))
}
