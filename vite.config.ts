import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import adonisjs from '@adonisjs/vite/client'

export default defineConfig({
  plugins: [
    react(),
    adonisjs({
      entryPoints: ['resources/js/app.tsx'],
      reload: ['resources/views/**/*.edge'],
    }),
  ],
  resolve: {
    alias: { '~/': `${import.meta.dirname}/resources/js/` },
  },
  server: {
    watch: { ignored: ['**/tmp/**', '**/voip-edge/**'] },
  },
})
