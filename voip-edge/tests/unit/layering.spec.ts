import { test } from '@japa/runner'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')

/** The SIP stack itself: only the stack, the adapters and the composition root may use it. */
const CORE = [/^src\/stack\//, /^src\/transport\//, /^src\/transaction\//, /^src\/dialog\//]
const CORE_FILES = new Set([
  'src/sip/parser.ts',
  'src/sip/serializer.ts',
  'src/signaling/native_port.ts',
  'src/signaling/drachtio_port.ts',
])
/** Plain utilities that happen to live in core folders (no SIP state, no sockets). */
const SHARED = new Set(['src/transaction/clock.ts', 'src/stack/ip_matcher.ts'])
const ADAPTERS = new Set(['src/signaling/native_port.ts', 'src/signaling/drachtio_port.ts'])
const COMPOSITION_ROOT = 'src/edge.ts'

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  )
}

/** Every module specifier of static imports/exports and dynamic import() calls. */
function imports(file: string): Array<{ specifier: string; typeOnly: boolean }> {
  const text = readFileSync(join(ROOT, file), 'utf8')
  const found: Array<{ specifier: string; typeOnly: boolean }> = []
  for (const match of text.matchAll(/^\s*(import|export)(\s+type)?[\s\S]*?from\s+'([^']+)'/gm))
    found.push({ specifier: match[3], typeOnly: match[2] !== undefined })
  for (const match of text.matchAll(/import\(\s*'([^']+)'\s*\)/g))
    found.push({ specifier: match[1], typeOnly: false })
  return found
}

const isCore = (path: string) =>
  !SHARED.has(path) && (CORE_FILES.has(path) || CORE.some((pattern) => pattern.test(path)))

test.group('layering', () => {
  const files = [...sources('src'), ...sources('bin'), ...sources('bench')]

  test('the import scanner sees the imports it must judge', ({ assert }) => {
    const edge = imports(COMPOSITION_ROOT).map((entry) => entry.specifier)
    assert.include(edge, './signaling/drachtio_port.ts')
    assert.include(edge, './signaling/native_port.ts')
    assert.deepInclude(imports('src/signaling/drachtio_port.ts'), {
      specifier: 'drachtio-srf',
      typeOnly: false,
    })
    assert.isAbove(files.length, 40)
  })

  test('only the drachtio adapter imports drachtio-srf', ({ assert }) => {
    const importers = files.filter((file) =>
      imports(file).some(
        ({ specifier }) => specifier === 'drachtio-srf' || specifier.startsWith('drachtio-srf/'),
      ),
    )
    assert.deepEqual(importers, ['src/signaling/drachtio_port.ts'])
  })

  test('nothing outside the SIP core, its adapters and edge.ts imports core internals', ({
    assert,
  }) => {
    const violations: string[] = []
    for (const file of files) {
      if (isCore(file) || ADAPTERS.has(file) || file === COMPOSITION_ROOT) continue
      for (const { specifier, typeOnly } of imports(file)) {
        if (!specifier.startsWith('.')) continue
        const target = relative(ROOT, resolve(ROOT, dirname(file), specifier))
        // The transport protocol names are a plain type (metrics label them).
        if (typeOnly && target === 'src/transport/transport.ts') continue
        if (isCore(target)) violations.push(`${file} → ${target}`)
      }
    }
    assert.deepEqual(violations, [])
  })
})
