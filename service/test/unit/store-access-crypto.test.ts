import { encryptionKey, open, parseEncryptionKey, seal, SealError } from '../../src/store-access/crypto';

const SECRET = 'shared-secret-0123456789abcdef0123456789';
const CONSUMER_SECRET = `cs_${'0123456789abcdef0123'.repeat(2)}`;
const CONTEXT = 'store_access:1:secret';

/** Flips one bit of a sealed value's part (1 IV, 2 tag, 3 ciphertext). */
function tampered(sealed: string, part: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part] as string, 'base64url');
  bytes[0] = (bytes[0] as number) ^ 1;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('store access encryption at rest', () => {
  const key = encryptionKey(SECRET);

  it('opens what it sealed, and seals the same value differently each time (random IV)', () => {
    const a = seal(key, CONSUMER_SECRET, CONTEXT);
    const b = seal(key, CONSUMER_SECRET, CONTEXT);
    expect(a).not.toBe(b);
    expect(a).not.toContain(CONSUMER_SECRET);
    expect(open(key, a, CONTEXT)).toBe(CONSUMER_SECRET);
    expect(open(key, b, CONTEXT)).toBe(CONSUMER_SECRET);
    expect(Buffer.from(a.split('.')[1] as string, 'base64url')).toHaveLength(12);
  });

  it.each([
    ['the IV', 1],
    ['the tag', 2],
    ['the ciphertext', 3],
  ])('refuses a value whose %s was altered', (_part, part) => {
    expect(() => open(key, tampered(seal(key, CONSUMER_SECRET, CONTEXT), part), CONTEXT)).toThrow(SealError);
  });

  it('refuses a value moved to another column or store, or opened with another key', () => {
    const sealed = seal(key, CONSUMER_SECRET, CONTEXT);
    expect(() => open(key, sealed, 'store_access:1:key')).toThrow(SealError);
    expect(() => open(key, sealed, 'store_access:2:secret')).toThrow(SealError);
    expect(() => open(encryptionKey(`${SECRET}-rotated`), sealed, CONTEXT)).toThrow(SealError);
    expect(() => open(key, 'not sealed', CONTEXT)).toThrow(SealError);
    expect(() => open(key, sealed.replace(/^v1/, 'v2'), CONTEXT)).toThrow(SealError);
  });

  it('derives the same 32-byte key from the same secret, and uses a configured key as is', () => {
    expect(encryptionKey(SECRET)).toHaveLength(32);
    expect(encryptionKey(SECRET).equals(encryptionKey(SECRET))).toBe(true);
    expect(encryptionKey(SECRET).equals(encryptionKey(`${SECRET}x`))).toBe(false);
    const configured = Buffer.alloc(32, 7);
    expect(encryptionKey(SECRET, configured)).toBe(configured);
    const sealed = seal(configured, CONSUMER_SECRET, CONTEXT);
    expect(() => open(key, sealed, CONTEXT)).toThrow(SealError);
  });

  it.each([
    ['64 hex digits', 'ab'.repeat(32), true],
    ['base64', Buffer.alloc(32, 9).toString('base64'), true],
    ['base64url', Buffer.alloc(32, 255).toString('base64url'), true],
    ['31 bytes', Buffer.alloc(31, 1).toString('base64'), false],
    ['33 bytes', Buffer.alloc(33, 1).toString('base64'), false],
    ['62 hex digits', 'ab'.repeat(31), false],
    ['a passphrase', 'correct horse battery staple', false],
  ])('reads CARTBACK_ENCRYPTION_KEY as %s: %p', (_case, text, ok) => {
    const parsed = parseEncryptionKey(text);
    expect(parsed !== undefined).toBe(ok);
    if (ok) expect(parsed).toHaveLength(32);
  });
});
