/*
 * Reference finders registered by the settings area: for each resource type that rows of
 * this area point at, a function listing the rows that do (see reference_registry.ts).
 *
 * None on purpose. call_logs and call_detail_records point at extensions and phone
 * numbers, but call history must never block deleting those (it would make any extension
 * that ever took a call undeletable); the rows keep the id of the soft-deleted target.
 */
export {}
