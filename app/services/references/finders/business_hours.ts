/*
 * Reference finders registered by the business_hours area: for each resource type that rows of
 * this area point at, a function listing the rows that do (see reference_registry.ts).
 */
export {}
