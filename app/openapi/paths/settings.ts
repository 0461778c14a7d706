/* OpenAPI paths and schemas of the settings area (see docs/development.md). */
export const settingsSchemas = {}

export const settingsPaths = {}
