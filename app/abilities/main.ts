/*
 * Bouncer abilities that are not tied to a model. Model actions live in app/policies;
 * this file exists because the bouncer middleware pre-registers both.
 */
export {}
