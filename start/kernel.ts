/*
 * HTTP kernel. server.use runs on every request, even unmatched ones (so 404s get a
 * request id too); router.use runs on matched routes only.
 */
import router from '@adonisjs/core/services/router'
import server from '@adonisjs/core/services/server'

server.errorHandler(() => import('#exceptions/handler'))

server.use([
  () => import('#middleware/request_id_middleware'),
  () => import('#middleware/security_headers_middleware'),
  () => import('@adonisjs/cors/cors_middleware'),
  // After CORS, so a browser client sees the 503 rather than an opaque network error.
  () => import('#middleware/overload_middleware'),
  () => import('#middleware/redis_outage_middleware'),
  () => import('#middleware/container_bindings_middleware'),
  () => import('@adonisjs/static/static_middleware'),
  () => import('@adonisjs/vite/vite_middleware'),
  () => import('#middleware/inertia_middleware'),
])

router.use([
  () => import('#middleware/metrics_middleware'),
  () => import('@adonisjs/core/bodyparser_middleware'),
  () => import('@adonisjs/session/session_middleware'),
  () => import('@adonisjs/shield/shield_middleware'),
  () => import('@adonisjs/auth/initialize_auth_middleware'),
  () => import('#middleware/initialize_bouncer_middleware'),
])

export const middleware = router.named({
  guest: () => import('#middleware/guest_middleware'),
  auth: () => import('#middleware/auth_middleware'),
  tenant: () => import('#middleware/tenant_middleware'),
  passwordReset: () => import('#middleware/password_reset_middleware'),
  denyWhileImpersonating: () => import('#middleware/deny_while_impersonating_middleware'),
  tokenAbility: () => import('#middleware/token_ability_middleware'),
  forceJson: () => import('#middleware/force_json_response_middleware'),
  edgeSignature: () => import('#middleware/edge_signature_middleware'),
  webhookAuth: () => import('#middleware/webhook_auth_middleware'),
  webhookIdempotency: () => import('#middleware/webhook_idempotency_middleware'),
})
