import 'reflect-metadata'

export const APP_ROOT = new URL('../', import.meta.url)

/**
 * The importer resolves relative paths against the app root so the same
 * code works from the source tree and from the build folder.
 */
export function importer(filePath: string) {
  if (filePath.startsWith('./') || filePath.startsWith('../')) {
    return import(new URL(filePath, APP_ROOT).href)
  }
  return import(filePath)
}
