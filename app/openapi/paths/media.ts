/* OpenAPI paths and schemas of the media area (see docs/development.md). */
export const mediaSchemas = {}

export const mediaPaths = {}
