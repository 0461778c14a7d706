/* OpenAPI paths and schemas of the extensions area (see docs/development.md). */
export const extensionsSchemas = {}

export const extensionsPaths = {}
