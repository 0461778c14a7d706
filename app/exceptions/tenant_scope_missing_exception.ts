import { Exception } from '@adonisjs/core/exceptions'

/**
 * Raised when code reads a tenant table without rooting the query in an organization.
 * It is a programming error, so it surfaces as a 500 and is logged loudly.
 */
export default class TenantScopeMissingException extends Exception {
  static status = 500
  static code = 'E_TENANT_SCOPE_MISSING'

  constructor(modelName: string) {
    super(
      `Query on tenant model "${modelName}" is not rooted in an organization. ` +
        `Start from organization.related(...) or use the forOrganization scope.`,
    )
  }
}
