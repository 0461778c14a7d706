/*
 * Routes, split by plane: web (Inertia pages), support (staff console), api (control
 * plane /api/v1). The execution plane (/api/voice, /api/webhooks) joins here later.
 */
import router from '@adonisjs/core/services/router'

const HealthController = () => import('#controllers/health_controller')
const FilesController = () => import('#controllers/files_controller')
const ApiDocsController = () => import('#controllers/api_docs_controller')
const MetricsController = () => import('#controllers/metrics_controller')

router.get('/health', [HealthController, 'show']).as('health')
router.get('/metrics', [MetricsController, 'show']).as('metrics')
router.get('/files/:token', [FilesController, 'show']).as('files.show')
router.get('/api/docs', [ApiDocsController, 'show']).as('api.docs')

await import('#start/routes/web')
await import('#start/routes/web_admin')
await import('#start/routes/web_calls')
await import('#start/routes/support')
await import('#start/routes/api')
await import('#start/routes/edge')
await import('#start/routes/voice')
await import('#start/routes/webhooks')
