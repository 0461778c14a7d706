/* OpenAPI paths and schemas of the ring_groups area (see docs/development.md). */
export const ringGroupsSchemas = {}

export const ringGroupsPaths = {}
