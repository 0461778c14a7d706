import { configApp } from '@adonisjs/eslint-config'
import { react } from '@adonisjs/eslint-config/react'

export default configApp(
  ...react,
  {
    name: 'Project ignores',
    ignores: ['public/**', 'tmp/**', 'voip-edge/build/**', 'bin/test_summary.mjs'],
  },
  {
    // `(await client.get(url)).assertStatus(200)` is the idiomatic shape of a response check.
    name: 'Tests',
    files: ['tests/**/*.ts', 'voip-edge/tests/**/*.ts'],
    rules: { '@unicorn/no-await-expression-member': 'off' },
  },
)
