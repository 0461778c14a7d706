import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import BaseInertiaMiddleware from '@adonisjs/inertia/inertia_middleware'
import { abilitiesFor } from '#auth/abilities'
import { build } from '#services/version'

/**
 * Props every page receives. The `can` map comes from the same policies the server
 * enforces, so pages only hide what the server would refuse anyway.
 * The context may be partly hydrated (e.g. a 404 before session/auth ran).
 */
export default class InertiaMiddleware extends BaseInertiaMiddleware {
  share(ctx: HttpContext) {
    const { session } = ctx as Partial<HttpContext>
    // Set by the tenant middleware on signed-in pages; absent on login and support pages.
    const user = ctx.currentUser as HttpContext['currentUser'] | undefined
    const organization = ctx.organization as HttpContext['organization'] | undefined
    return {
      errors: ctx.inertia.always(this.getValidationErrors(ctx)),
      flash: ctx.inertia.always({
        error: (session?.flashMessages.get('error') as string | undefined) ?? null,
        success: (session?.flashMessages.get('success') as string | undefined) ?? null,
      }),
      currentUser: ctx.inertia.always(
        user
          ? {
              id: user.id,
              name: user.name,
              email: user.email,
              role: user.role,
              passwordResetRequired: user.passwordResetRequired,
            }
          : null,
      ),
      organization: ctx.inertia.always(
        organization
          ? { id: organization.id, name: organization.name, slug: organization.slug }
          : null,
      ),
      impersonation: ctx.inertia.always(
        ctx.impersonation
          ? { staffName: ctx.impersonation.staffName, reason: ctx.impersonation.reason }
          : null,
      ),
      can: ctx.inertia.always(user ? abilitiesFor(user, ctx.impersonation !== undefined) : {}),
      // What is deployed, for the footer (support asks for it first).
      build: ctx.inertia.always(user ? build : null),
    }
  }

  async handle(ctx: HttpContext, next: NextFn) {
    await this.init(ctx)
    const output = await next()
    this.dispose(ctx)
    return output
  }
}

declare module '@adonisjs/inertia/types' {
  type MiddlewareSharedProps = InferSharedProps<InertiaMiddleware>
  export interface SharedProps extends MiddlewareSharedProps {}
}
