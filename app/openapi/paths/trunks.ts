/* OpenAPI paths and schemas of the trunks area (see docs/development.md). */
export const trunksSchemas = {}

export const trunksPaths = {}
