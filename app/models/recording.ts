import { DateTime } from 'luxon'
import { compose } from '@adonisjs/core/helpers'
import { BaseModel, column } from '@adonisjs/lucid/orm'
import { BelongsToOrganization } from '#models/mixins/belongs_to_organization'

export type RecordingKind = 'upload' | 'remote'
export type RecordingStatus = 'active' | 'inactive'

/** An audio prompt (IVR menus, voicemail greetings, music on hold), not a call recording. */
export default class Recording extends compose(BaseModel, BelongsToOrganization) {
  static table = 'recordings'

  @column({ isPrimary: true })
  declare id: number

  @column()
  declare name: string

  @column()
  declare kind: RecordingKind

  @column()
  declare status: RecordingStatus

  /* Internal: files are reached only through signed URLs, never by key. */
  @column({ serializeAs: null })
  declare storageKey: string | null

  @column()
  declare originalFilename: string | null

  @column()
  declare mimeType: string | null

  @column({ consume: (value) => (value === null ? null : Number(value)) })
  declare size: number | null

  @column({ consume: (value) => (value === null ? null : Number(value)) })
  declare durationSeconds: number | null

  @column()
  declare remoteUrl: string | null

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
}
