import ApiException from '#exceptions/api_exception'

/**
 * A 422 for one field, shaped exactly like VineJS failures, for rules that need the stored
 * row or the uploaded bytes and so cannot live in a validator.
 */
export function fieldError(field: string, message: string, rule: string) {
  return new ApiException(422, 'E_VALIDATION_ERROR', message, {
    details: { fields: [{ field, message, rule }] },
  })
}

/* A unique index lost a race that the validator had passed: two identical creates at once. */
export function isUniqueViolation(error: unknown) {
  return (error as { code?: string })?.code === '23505'
}
