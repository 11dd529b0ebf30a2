import { createHash, randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A short link code for a message button: 12 base-62 characters drawn without modulo bias from
 * the system's CSPRNG (about 71 bits), so codes cannot be guessed or enumerated.
 */
export function newLinkCode(length = 12): string {
  let code = '';
  while (code.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 × 62: bytes at or above it would favour the first symbols.
      if (byte < 248 && code.length < length) code += BASE62[byte % 62];
    }
  }
  return code;
}

export function isLinkCode(value: string): boolean {
  return /^[0-9A-Za-z]{6,16}$/.test(value);
}

/** The shape of a restore token (see restore-token.ts): 256 bits, base64url. */
export function isRestoreToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value);
}

/** What is stored of a restore token: its SHA-256, hex. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
