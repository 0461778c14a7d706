/*
 * Reference finders registered by the media area: for each resource type that rows of
 * this area point at, a function listing the rows that do (see reference_registry.ts).
 *
 * Conference rooms and recordings point at nothing else, so nothing is registered here.
 * They are themselves referenced: extensions of type conference register a
 * 'conference_room' finder, IVR menus and voicemail greetings a 'recording' finder, in
 * their own areas' files.
 */
export {}
