/*
 * Ace entry point. Node 24 (pinned through the `node` devDependency) runs TypeScript
 * through @poppinss/ts-exec, so there is no build step in development.
 */
import '@poppinss/ts-exec'
await import('./bin/console.js')
