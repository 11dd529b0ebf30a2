import { createHmac, randomBytes } from 'node:crypto';
import { hashToken } from './codes';

export const RESTORE_TOKEN_TTL_MS = 7 * 24 * 3600 * 1000;

/** A token handed out again must still have this long to live, so the shopper's landing finds it valid. */
export const RESTORE_TOKEN_REUSE_MIN_MS = 3600 * 1000;

/**
 * A restore token: HMAC-SHA256, keyed with the shared secret, of the link's code and a random
 * 128-bit salt kept beside the token's hash; 256 bits, URL-safe (43 characters). Only its hash is
 * stored, yet it can be given again: recomputed from the secret, the code and the salt. Without the
 * secret and the salt, it cannot be guessed.
 */
export function deriveRestoreToken(secret: string, code: string, salt: string): string {
  return createHmac('sha256', secret).update(`cartback-restore-token:v1:${code}:${salt}`).digest('base64url');
}

/** A fresh salt for a new restore token: 128 random bits, URL-safe (22 characters). */
export function newTokenSalt(): string {
  return randomBytes(16).toString('base64url');
}

/** A link's newest restore token, as stored. */
export interface StoredToken {
  token_hash: string;
  salt: string | null;
  expires_at: Date;
}

export type TokenChoice =
  { kind: 'reuse'; token: string } | { kind: 'mint'; token: string; tokenHash: string; salt: string; expiresAt: Date };

/**
 * The restore token for an open of a live link at `now`: the link's newest token again when it
 * still has an hour to live and recomputes to its stored hash (it does not once the secret has
 * changed, nor for a token minted before salts were kept); otherwise a new one from `freshSalt`,
 * valid for RESTORE_TOKEN_TTL_MS.
 */
export function chooseRestoreToken(
  newest: StoredToken | undefined,
  secret: string,
  code: string,
  now: Date,
  freshSalt: string,
): TokenChoice {
  if (newest?.salt && newest.expires_at.getTime() > now.getTime() + RESTORE_TOKEN_REUSE_MIN_MS) {
    const token = deriveRestoreToken(secret, code, newest.salt);
    if (hashToken(token) === newest.token_hash) return { kind: 'reuse', token };
  }
  const token = deriveRestoreToken(secret, code, freshSalt);
  return {
    kind: 'mint',
    token,
    tokenHash: hashToken(token),
    salt: freshSalt,
    expiresAt: new Date(now.getTime() + RESTORE_TOKEN_TTL_MS),
  };
}
