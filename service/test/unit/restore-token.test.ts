import { hashToken, isRestoreToken } from '../../src/links/codes';
import {
  chooseRestoreToken,
  deriveRestoreToken,
  RESTORE_TOKEN_TTL_MS,
  type StoredToken,
} from '../../src/links/restore-token';

const SECRET = 'secret-0123456789abcdef0123456789abcdef';
const NOW = new Date('2026-12-02T10:00:00.000Z');
const SALT = 'AAAAAAAAAAAAAAAAAAAAAA';
const FRESH = 'BBBBBBBBBBBBBBBBBBBBBB';
const inMinutes = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

const stored = (expiresAt: Date, salt: string | null = SALT, secret = SECRET): StoredToken => ({
  token_hash: hashToken(deriveRestoreToken(secret, 'Code12345678', salt ?? SALT)),
  salt,
  expires_at: expiresAt,
});

describe('restore tokens', () => {
  it('are 256-bit, URL-safe, and differ by secret, code and salt', () => {
    const token = deriveRestoreToken(SECRET, 'Code12345678', SALT);
    expect(isRestoreToken(token)).toBe(true);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(
      new Set([
        token,
        deriveRestoreToken(`${SECRET}x`, 'Code12345678', SALT),
        deriveRestoreToken(SECRET, 'Code12345679', SALT),
        deriveRestoreToken(SECRET, 'Code12345678', FRESH),
      ]).size,
    ).toBe(4);
  });

  it('gives the newest token again while it has more than an hour to live', () => {
    expect(chooseRestoreToken(stored(inMinutes(61)), SECRET, 'Code12345678', NOW, FRESH)).toEqual({
      kind: 'reuse',
      token: deriveRestoreToken(SECRET, 'Code12345678', SALT),
    });
  });

  it.each([
    ['there is none', undefined],
    ['it has an hour left or less', stored(inMinutes(60))],
    ['it has expired', stored(inMinutes(-1))],
    ['it was minted before salts were kept', stored(inMinutes(600), null)],
    ['the secret has changed since', stored(inMinutes(600), SALT, 'an-older-secret-0123456789abcdef012345')],
  ])('mints a new one, valid for 7 days, when %s', (_case, newest) => {
    const token = deriveRestoreToken(SECRET, 'Code12345678', FRESH);
    expect(chooseRestoreToken(newest, SECRET, 'Code12345678', NOW, FRESH)).toEqual({
      kind: 'mint',
      token,
      tokenHash: hashToken(token),
      salt: FRESH,
      expiresAt: new Date(NOW.getTime() + RESTORE_TOKEN_TTL_MS),
    });
  });
});
