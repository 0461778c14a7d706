/* OpenAPI paths and schemas of the phone_numbers area (see docs/development.md). */
export const phoneNumbersSchemas = {}

export const phoneNumbersPaths = {}
