import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'
import SummaryReporter from './tests/support/vitest_summary_reporter.js'

/* Component tests of the web app's widgets: React in jsdom, nothing else. */
export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: { '~/': `${import.meta.dirname}/resources/js/` },
  },
  test: {
    environment: 'jsdom',
    include: ['resources/js/**/*.test.tsx'],
    css: false,
    reporters: ['default', new SummaryReporter('components')],
  },
})
