import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import app from '@adonisjs/core/services/app'

export type Violation = { id: string; impact: string; help: string; nodes: string[] }

let source: string | null = null

/**
 * Runs axe-core in the page and returns the serious and critical violations. The script is
 * evaluated through the DevTools protocol, so the page's CSP (script-src 'self') does not
 * block it the way an injected inline <script> would be.
 */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  source ??= readFileSync(app.makePath('node_modules/axe-core/axe.min.js'), 'utf8')
  await page.evaluate(source)
  const violations: Violation[] = await page.evaluate(async () => {
    const browser = globalThis as any
    const result = await browser.axe.run(browser.document, { resultTypes: ['violations'] })
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n: any) => n.target.join(' ')).slice(0, 3),
    }))
  })
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}
