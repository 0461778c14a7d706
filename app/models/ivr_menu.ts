import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column, hasMany } from '@adonisjs/lucid/orm'
import type { HasMany } from '@adonisjs/lucid/types/relations'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'
import IvrMenuOption from '#models/ivr_menu_option'
import type { IvrMenuStatus, IvrPrompt, IvrTargetType } from '#enums/ivr'

/** A voice menu: a prompt, up to twelve keys, and where callers go when they press none. */
export default class IvrMenu extends compose(BaseModel, BelongsToOrganization) {
  static table = 'ivr_menus'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare description: string | null

  @column()
  declare promptRecordingId: number | null

  @column()
  declare promptTtsText: string | null

  @column()
  declare promptTtsVoice: string | null

  @column()
  declare promptTtsLanguage: string | null

  @column()
  declare invalidPromptRecordingId: number | null

  @column()
  declare invalidPromptTtsText: string | null

  @column()
  declare invalidPromptTtsVoice: string | null

  @column()
  declare invalidPromptTtsLanguage: string | null

  @column()
  declare timeoutPromptRecordingId: number | null

  @column()
  declare timeoutPromptTtsText: string | null

  @column()
  declare timeoutPromptTtsVoice: string | null

  @column()
  declare timeoutPromptTtsLanguage: string | null

  @column()
  declare firstDigitTimeout: number

  @column()
  declare interDigitTimeout: number

  @column()
  declare maxRetries: number

  @column()
  declare failoverType: IvrTargetType

  @column()
  declare failoverId: number | null

  @column()
  declare status: IvrMenuStatus

  @column()
  declare createdBy: number | null

  @column()
  declare updatedBy: number | null

  @column.dateTime({ autoCreate: true })
  declare createdAt: DateTime

  @column.dateTime({ autoCreate: true, autoUpdate: true })
  declare updatedAt: DateTime

  @column.dateTime()
  declare deletedAt: DateTime | null

  @hasMany(() => IvrMenuOption, { onQuery: (query) => query.orderBy('position') })
  declare options: HasMany<typeof IvrMenuOption>

  /** The main, invalid-choice or timeout prompt, or null when that one is not set. */
  prompt(kind: 'prompt' | 'invalidPrompt' | 'timeoutPrompt'): IvrPrompt | null {
    const prompt = {
      recordingId: this[`${kind}RecordingId`] ?? null,
      ttsText: this[`${kind}TtsText`] ?? null,
      ttsVoice: this[`${kind}TtsVoice`] ?? null,
      ttsLanguage: this[`${kind}TtsLanguage`] ?? null,
    }
    return prompt.recordingId || prompt.ttsText ? prompt : null
  }

  setPrompt(kind: 'prompt' | 'invalidPrompt' | 'timeoutPrompt', prompt: Partial<IvrPrompt> | null) {
    this[`${kind}RecordingId`] = prompt?.recordingId ?? null
    this[`${kind}TtsText`] = prompt?.ttsText ?? null
    this[`${kind}TtsVoice`] = prompt?.ttsText ? (prompt.ttsVoice ?? null) : null
    this[`${kind}TtsLanguage`] = prompt?.ttsText ? (prompt.ttsLanguage ?? null) : null
  }
}
