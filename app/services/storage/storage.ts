import { randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, rm, stat } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Readable } from 'node:stream'
import app from '@adonisjs/core/services/app'
import encryption from '@adonisjs/core/services/encryption'
import env from '#start/env'

/*
 * Where audio lives: prompts, voicemail, call recordings. Keys are always built here as
 * `<organizationId>/<kind>/<uuid>.<ext>`, so a caller can neither choose a path nor reach
 * another tenant's files. Local disk by default; the interface is what an S3 driver
 * would implement.
 */

export type StorageKind = 'prompts' | 'voicemail' | 'recordings' | 'greetings'

export interface StorageDriver {
  put(key: string, content: Readable | Buffer): Promise<number>
  read(key: string): Readable
  size(key: string): Promise<number | null>
  delete(key: string): Promise<void>
}

export class LocalDiskStorage implements StorageDriver {
  readonly root: string

  constructor(root: string) {
    this.root = resolve(root)
  }

  #path(key: string) {
    const path = resolve(this.root, key)
    if (!path.startsWith(this.root + sep)) throw new Error(`Storage key escapes the root: ${key}`)
    return path
  }

  async put(key: string, content: Readable | Buffer) {
    const path = this.#path(key)
    await mkdir(dirname(path), { recursive: true })
    await pipeline(Buffer.isBuffer(content) ? [content] : content, createWriteStream(path))
    const written = await stat(path)
    return written.size
  }

  read(key: string) {
    return createReadStream(this.#path(key))
  }

  async size(key: string) {
    try {
      const info = await stat(this.#path(key))
      return info.size
    } catch {
      return null
    }
  }

  async delete(key: string) {
    await rm(this.#path(key), { force: true })
  }
}

export function tenantKey(organizationId: number, kind: StorageKind, extension: string) {
  const ext =
    extension
      .replace(/[^a-z0-9]/gi, '')
      .toLowerCase()
      .slice(0, 8) || 'bin'
  return join(String(organizationId), kind, `${randomUUID()}.${ext}`)
}

/* What a signed file URL grants: one file of one organization, until it expires. */
export type FileGrant = { organizationId: number; key: string; mime: string; filename: string }

const PURPOSE = 'file-download'

/**
 * A URL that lets a browser or a media server fetch one stored file without a session
 * (audio players, rtpengine/voip-edge playback). Encrypted and authenticated with the app
 * key, bound to its purpose, expiring (default 10 minutes).
 */
export function signedFileUrl(grant: FileGrant, expiresIn: string = '10m') {
  const token = encryption.encrypt(grant, expiresIn, PURPOSE)
  return `${env.get('APP_URL')}/files/${encodeURIComponent(token)}`
}

export function readFileGrant(token: string): FileGrant | null {
  return encryption.decrypt<FileGrant>(token, PURPOSE)
}

const storage: StorageDriver = new LocalDiskStorage(
  env.get('STORAGE_ROOT') ?? app.makePath('storage'),
)
export default storage
