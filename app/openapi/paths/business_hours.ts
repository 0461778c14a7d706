/* OpenAPI paths and schemas of the business_hours area (see docs/development.md). */
export const businessHoursSchemas = {}

export const businessHoursPaths = {}
