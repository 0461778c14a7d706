/*
 * Validation messages name fields the way the console's forms label them ("The fallback
 * target field must be defined", not "fallbackTargetId"); the JSON error keeps the key.
 */
import vine from '@vinejs/vine'
import { humanMessagesProvider } from '#validators/helpers/field_names'

vine.messagesProvider = humanMessagesProvider()
