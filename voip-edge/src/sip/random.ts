/**
 * Cryptographically random bytes served from a pool refilled 4 KiB at a time: tags, Call-IDs
 * and nonce salts need a few bytes per message, and one OpenSSL call per message showed up
 * in REGISTER profiles.
 */
import { randomFillSync } from 'node:crypto'

const POOL = Buffer.alloc(4096)
let offset = POOL.length

/** Copies `size` fresh random bytes into `target` at `at`. Each byte is handed out once. */
export function fillRandom(target: Buffer, at: number, size: number): void {
  if (size > POOL.length) {
    randomFillSync(target, at, size)
    return
  }
  if (offset + size > POOL.length) {
    randomFillSync(POOL)
    offset = 0
  }
  POOL.copy(target, at, offset, offset + size)
  // Zeroed after use, so a later bug cannot hand the same bytes out twice.
  POOL.fill(0, offset, offset + size)
  offset += size
}

export function randomHex(size: number): string {
  const out = Buffer.allocUnsafe(size)
  fillRandom(out, 0, size)
  return out.toString('hex')
}
