import '../css/app.css'
import type { ComponentType } from 'react'
import { createRoot } from 'react-dom/client'
import { createInertiaApp } from '@inertiajs/react'

const pages = import.meta.glob<{ default: ComponentType<any> }>('./pages/**/*.tsx')

createInertiaApp({
  title: (title) => (title ? `${title} · OPBX` : 'OPBX'),
  resolve: async (name) => {
    const page = pages[`./pages/${name}.tsx`]
    if (!page) throw new Error(`Unknown page "${name}"`)
    const module = await page()
    return module.default
  },
  setup({ el, App, props }) {
    createRoot(el).render(<App {...props} />)
  },
  progress: { color: '#2563eb' },
})
