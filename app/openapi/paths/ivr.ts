/* OpenAPI paths and schemas of the ivr area (see docs/development.md). */
export const ivrSchemas = {}

export const ivrPaths = {}
