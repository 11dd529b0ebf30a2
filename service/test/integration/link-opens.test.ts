import { Migrator, sql } from 'kysely';
import { migrations } from '../../migrations';
import { migrateToLatest } from '../../src/db/migrate';
import { TokenPurger } from '../../src/links/purger';
import { createLogger } from '../../src/logger';
import { purgeExpiredTokens } from '../../src/links/sql/purge-tokens';
import { createTestDatabase } from '../support/db';
import { TEST_SECRET, useTestApp } from '../support/http';
import { insertLink, open, sha256 } from '../support/links';

const silent = createLogger('silent');
let secret = TEST_SECRET;
const t = useTestApp({
  storeUrl: 'https://shop.example/',
  secret: () => secret,
  rateLimits: { linkPerMinute: 0, restorePerMinute: 0 },
});

afterEach(() => {
  secret = TEST_SECRET;
});

const clicksOf = (code: string) =>
  t.db.selectFrom('clicks').select(['opens', 'clicked_at', 'last_opened_at']).where('code', '=', code).execute();
const tokensOf = (code: string) =>
  t.db.selectFrom('restore_tokens').select(['token_hash', 'expires_at']).where('code', '=', code).execute();

describe('opening a link again and again', () => {
  it('counts 1,000 opens, 50 at a time, as one click and 1,000 opens, and hands out one token', async () => {
    const code = await insertLink(t.db);
    const answers: Array<{ status: number; token: string | null }> = [];
    for (let wave = 0; wave < 20; wave++) {
      answers.push(...(await Promise.all(Array.from({ length: 50 }, () => open(t.base, code)))));
    }
    const first = answers[0] ?? { status: 0, token: null };
    expect(first.status).toBe(302);
    expect(answers).toHaveLength(1000);
    expect(new Set(answers.map((a) => `${a.status} ${a.token}`))).toEqual(new Set([`302 ${first.token}`]));

    const [click] = await clicksOf(code);
    expect(click?.opens).toBe(1000);
    expect(click?.last_opened_at.getTime()).toBeGreaterThanOrEqual(click?.clicked_at.getTime() ?? Infinity);
    expect(await tokensOf(code)).toEqual([{ token_hash: sha256(first.token ?? ''), expires_at: expect.any(Date) }]);
  });

  it('keeps the first click time while later opens move the last', async () => {
    const code = await insertLink(t.db);
    await open(t.base, code);
    const [before] = await clicksOf(code);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await open(t.base, code);
    const [after] = await clicksOf(code);
    expect(after?.clicked_at).toEqual(before?.clicked_at);
    expect(after?.last_opened_at.getTime()).toBeGreaterThan(before?.last_opened_at.getTime() ?? Infinity);
    expect(after?.opens).toBe(2);
  });

  it('mints a new token when the last has under an hour to live, was minted before salts, or the secret changed', async () => {
    const code = await insertLink(t.db, { expiresInMs: 30 * 24 * 3600_000 });
    const first = (await open(t.base, code)).token ?? '';

    // The secret was changed: the stored token no longer recomputes, so a new one is minted.
    secret = 'another-secret-0123456789abcdef0123456789';
    const afterRotation = (await open(t.base, code)).token ?? '';
    expect(afterRotation).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(afterRotation).not.toBe(first);
    expect((await open(t.base, code)).token).toBe(afterRotation);
    secret = TEST_SECRET;

    // Close to its expiry: a new one, so the shopper's landing finds it valid.
    await t.db
      .updateTable('restore_tokens')
      .set({ expires_at: new Date(Date.now() + 59 * 60_000) })
      .where('code', '=', code)
      .execute();
    const nearExpiry = (await open(t.base, code)).token ?? '';
    expect([first, afterRotation]).not.toContain(nearExpiry);
    expect((await open(t.base, code)).token).toBe(nearExpiry);

    // A token minted before salts were kept cannot be given again.
    await t.db.updateTable('restore_tokens').set({ salt: null }).where('code', '=', code).execute();
    const legacy = (await open(t.base, code)).token ?? '';
    expect([first, afterRotation, nearExpiry]).not.toContain(legacy);
    expect((await open(t.base, code)).token).toBe(legacy);

    expect((await tokensOf(code)).map((row) => row.token_hash).sort()).toEqual(
      [first, afterRotation, nearExpiry, legacy].map(sha256).sort(),
    );
    expect(await clicksOf(code)).toEqual([expect.objectContaining({ opens: 7 })]);
  });

  it('gives a link of another message its own click and its own token', async () => {
    const one = await insertLink(t.db, { messageId: 71 });
    const other = await insertLink(t.db, { messageId: 72 });
    const [a, b] = [await open(t.base, one), await open(t.base, other)];
    expect(a.token).not.toBe(b.token);
    const clicks = await t.db
      .selectFrom('clicks')
      .select(['message_id', 'opens'])
      .where('message_id', 'in', [71, 72])
      .orderBy('message_id')
      .execute();
    expect(clicks).toEqual([
      { message_id: 71, opens: 1 },
      { message_id: 72, opens: 1 },
    ]);
  });
});

describe('purging expired restore tokens', () => {
  const NOW = new Date('2026-12-02T10:00:00.000Z');
  const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

  async function tokenRow(name: string, expiresAt: Date, storeId = 1) {
    await t.db
      .insertInto('restore_tokens')
      .values({
        token_hash: sha256(name),
        store_id: storeId,
        cart_key: 'purge-cart',
        contact_id: 9,
        code: null,
        created_at: at(-7 * 24 * 60),
        expires_at: expiresAt,
      })
      .execute();
  }
  const remaining = async () =>
    (await t.db.selectFrom('restore_tokens').select('token_hash').where('cart_key', '=', 'purge-cart').execute())
      .map((row) => row.token_hash)
      .sort();

  it('deletes the tokens expired by now, a batch at a time, and nothing else', async () => {
    for (let i = 0; i < 5; i++) await tokenRow(`old-${i}`, at(-60 - i));
    await tokenRow('just-expired', NOW);
    await tokenRow('live', at(1));
    await tokenRow('other-store', at(-60), 2);

    expect(await purgeExpiredTokens(t.db, 1, NOW, 4)).toBe(4);
    // Oldest first: the newest expired two are left.
    expect(await remaining()).toEqual(['old-0', 'just-expired', 'live', 'other-store'].map(sha256).sort());

    await tokenRow('old-5', at(-5));
    const purger = new TokenPurger({ db: t.db, storeId: 1, logger: silent, batch: 2 });
    expect(await purger.purge(NOW)).toBe(3);
    expect(await remaining()).toEqual(['live', 'other-store'].map(sha256).sort());
    expect(await purger.purge(NOW)).toBe(0);
  });

  it('stops after maxBatches, leaving the rest for the next run', async () => {
    for (let i = 0; i < 7; i++) await tokenRow(`many-${i}`, at(-10 - i));
    const purger = new TokenPurger({ db: t.db, storeId: 1, logger: silent, batch: 2, maxBatches: 2 });
    expect(await purger.purge(NOW)).toBe(4);
    expect(await purger.purge(NOW)).toBe(3);
    expect(await remaining()).toEqual(['live', 'other-store'].map(sha256).sort());
  });
});

describe('migration 0006_link_opens', () => {
  it('folds the clicks already recorded into one per link, their count as opens', async () => {
    const database = await createTestDatabase(false);
    try {
      const migrator = new Migrator({
        db: database.db,
        provider: { getMigrations: async () => migrations },
        migrationTableName: 'schema_migrations',
        migrationLockTableName: 'schema_migrations_lock',
      });
      expect((await migrator.migrateTo('0005_store_profile')).error).toBeUndefined();
      await sql`INSERT INTO clicks (store_id, code, message_id, contact_id, clicked_at) VALUES
        (1, 'CodeA', 1, 5, '2026-11-30 10:05:00'), (1, 'CodeA', 1, 5, '2026-11-30 10:00:00'),
        (1, 'CodeA', 1, 5, '2026-11-30 11:00:00'), (1, 'CodeB', 2, 6, '2026-11-30 12:00:00')`.execute(database.db);
      expect(await migrateToLatest(database.db)).toContain('0006_link_opens');
      const rows = await database.db
        .selectFrom('clicks')
        .select(['code', 'opens', 'clicked_at', 'last_opened_at'])
        .orderBy('code')
        .execute();
      expect(rows).toEqual([
        {
          code: 'CodeA',
          opens: 3,
          clicked_at: new Date('2026-11-30T10:00:00Z'),
          last_opened_at: new Date('2026-11-30T11:00:00Z'),
        },
        {
          code: 'CodeB',
          opens: 1,
          clicked_at: new Date('2026-11-30T12:00:00Z'),
          last_opened_at: new Date('2026-11-30T12:00:00Z'),
        },
      ]);
    } finally {
      await database.drop();
    }
  });
});
