/*
 * The execution plane's endpoints (/api/voice/*, /api/webhooks/*) answer machines only:
 * Cloudonix and voip-edge, authenticated by signature or bearer, never a browser session.
 * Shield's browser protections cost them the most CPU for nothing: a CSRF secret put in a
 * session that is then encrypted into a cookie, an encrypted XSRF cookie and a CSP nonce
 * on every call (about a quarter of the server's CPU in the routing benchmark). They are
 * skipped there; every other route keeps them.
 *
 * The binding is also a singleton: @adonisjs/shield binds its middleware per resolution,
 * so every request built a new one, with a dynamic import of edge.js through the
 * TypeScript loader's hooks thread (the app runs under @poppinss/ts-exec). The middleware
 * keeps no per-request state: its guards are built once from config, encryption and edge.
 */
import app from '@adonisjs/core/services/app'
import type { HttpContext } from '@adonisjs/core/http'
import type { NextFn } from '@adonisjs/core/types/http'
import ShieldMiddleware from '@adonisjs/shield/shield_middleware'
import SessionMiddleware from '@adonisjs/session/session_middleware'
import type { ShieldConfig } from '@adonisjs/shield/types'

const MACHINE_PREFIXES = ['/api/voice/', '/api/webhooks/']

export function isMachineRequest(ctx: HttpContext) {
  const url = ctx.request.url()
  return MACHINE_PREFIXES.some((prefix) => url.startsWith(prefix))
}

class BrowserOnlyShield {
  constructor(private shield: ShieldMiddleware) {}

  handle(ctx: HttpContext, next: NextFn) {
    if (isMachineRequest(ctx)) return next()
    return this.shield.handle(ctx, next)
  }
}

app.container.singleton(ShieldMiddleware, async (resolver) => {
  const config = app.config.get<ShieldConfig>('shield', {})
  const manager = await resolver.make('encryption')
  const edge = app.usingEdgeJS ? await import('edge.js') : undefined
  const shield = new ShieldMiddleware(config, manager.use(), edge?.default)
  return new BrowserOnlyShield(shield) as unknown as ShieldMiddleware
})

/*
 * Nor do they need a session: machines send no session cookie, so every call built an
 * empty session, read the cookie store and committed nothing. Without ctx.session the
 * error handler answers in JSON (it only flashes for browser forms), which is what these
 * routes answer anyway. The provider's own middleware is kept for every other route.
 */
type AnySessionMiddleware = SessionMiddleware<any>

class BrowserOnlySession {
  constructor(private session: AnySessionMiddleware) {}

  handle(ctx: HttpContext, next: NextFn) {
    if (isMachineRequest(ctx)) return next()
    return this.session.handle(ctx, next)
  }
}

const session = await app.container.make(SessionMiddleware)
app.container.singleton(
  SessionMiddleware,
  () => new BrowserOnlySession(session) as unknown as AnySessionMiddleware,
)
