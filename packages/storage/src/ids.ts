import { createHash, randomBytes } from 'node:crypto'

/** A random url-safe id of 128 bits: 22 characters of base64url. Used for every record id. */
export function newId(): string {
  return randomBytes(16).toString('base64url')
}

/** A random url-safe room id (128 bits, 22 characters of base64url). Unguessable. */
export function newRoomId(): string {
  return randomBytes(16).toString('base64url')
}

/** A random url-safe secret of 256 bits (43 characters), e.g. for access tokens. The hash is what gets stored. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url')
}

/** SHA-256 of a secret, base64url. What `createToken`/`findTokenByHash` take as `secretHash`. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('base64url')
}
