import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Encryption at rest of the store's REST API key (AES-256-GCM, node:crypto). The 256-bit key is
 * CARTBACK_ENCRYPTION_KEY when set, else derived by HKDF-SHA256 from the sidecar's shared secret
 * with a fixed info string: then nothing more has to be kept, but a new shared secret makes the
 * stored key unreadable and the plugin must grant access again (README, "Store access").
 *
 * A sealed value is `v1.<iv>.<tag>.<ciphertext>` (base64url): a fresh random 96-bit IV for every
 * value, and the GCM tag checks that nothing was changed. The additional data names what the value
 * is (store and column), so a ciphertext moved to another row or column does not open either.
 */

const INFO = 'cartback store-access v1';
const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const ENCRYPTION_KEY_BYTES = 32;

/** The stored value could not be opened: wrong key (the shared secret changed), or it was altered. */
export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

/**
 * CARTBACK_ENCRYPTION_KEY's 32 bytes, written as 64 hex digits or as base64 / base64url;
 * undefined when it is neither.
 */
export function parseEncryptionKey(text: string): Buffer | undefined {
  const value = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(value)) return undefined;
  const bytes = Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === ENCRYPTION_KEY_BYTES ? bytes : undefined;
}

/** The encryption key: the configured one, else HKDF-SHA256 over the shared secret. */
export function encryptionKey(sharedSecret: string, configured?: Buffer): Buffer {
  if (configured) {
    if (configured.length !== ENCRYPTION_KEY_BYTES) throw new RangeError('The encryption key must be 32 bytes');
    return configured;
  }
  return Buffer.from(
    hkdfSync('sha256', Buffer.from(sharedSecret, 'utf8'), Buffer.alloc(0), INFO, ENCRYPTION_KEY_BYTES),
  );
}

/** Encrypts `plaintext`; `context` (such as `store:1:secret`) must be given again to open it. */
export function seal(key: Buffer, plaintext: string, context: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), data]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** Decrypts what {@link seal} made under the same key and context; SealError otherwise. */
export function open(key: Buffer, sealed: string, context: string): string {
  const parts = sealed.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) throw new SealError('Not a sealed value');
  const [iv, tag, data] = parts.slice(1).map((part) => Buffer.from(part, 'base64url')) as [Buffer, Buffer, Buffer];
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new SealError('Not a sealed value');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
  } catch {
    throw new SealError('The sealed value does not open with this key (changed key, or altered value)');
  }
}
