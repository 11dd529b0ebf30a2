import fc from 'fast-check';
import { newLinkCode } from '../../src/links/codes';
import { batch, event } from '../support/events';
import { fuzzParameters, fuzzRuns, fuzzTimeout } from '../support/fuzz';
import { countRows } from '../support/db';
import { errorLog, fingerprint, rawRequest, tally } from '../support/fuzz-http';
import { signedPost, useTestApp } from '../support/http';

/**
 * Issue 9.9: seeded fuzzing of `GET /r/:code`, the link a shopper taps on a phone. Whatever the
 * path (bad percent-encoding, raw bytes, slashes, dots, a query, the codes of real links cut or
 * padded): never a 5xx and always a page, never JSON; only a live link's code records an open
 * (its one click, at the first) and redirects, and nothing else changes the database.
 */
const errors = errorLog();
// No per-client limit here: every case comes from one address (link-limits.test.ts covers the 429).
const t = useTestApp({
  logger: errors.logger,
  storeUrl: 'https://shop.example/',
  rateLimits: { linkPerMinute: 0, restorePerMinute: 0 },
});
const seen = tally('GET /r/:code');
const RUNS = fuzzRuns(0.2);
const LIVE = newLinkCode();
const EXPIRED = newLinkCode();

beforeAll(async () => {
  expect((await signedPost(t.base, '/v1/events', batch(event('consent.granted')))).status).toBe(200);
  const contact = await t.db.selectFrom('contacts').select('id').executeTakeFirstOrThrow();
  const now = Date.now();
  for (const [code, expires] of [
    [LIVE, now + 86_400_000],
    [EXPIRED, now - 1000],
  ] as const) {
    await t.db
      .insertInto('links')
      .values({
        code,
        store_id: 1,
        message_id: 1,
        subject_kind: 'cart',
        subject_id: 'fuzz-cart',
        contact_id: contact.id,
        created_at: new Date(now),
        expires_at: new Date(expires),
      })
      .execute();
  }
});

const BASE62 = [...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'];
const hex = (byte: number) => `%${byte.toString(16).padStart(2, '0')}`;
/** Percent-encodes a string's bytes as UTF-8 (a lone surrogate becomes EF BF BD). */
const percentEncoded = (text: string) => [...Buffer.from(text, 'utf8')].map(hex).join('');

/**
 * One piece of a path segment; a segment is a few of these run together. No raw bytes past
 * ASCII: browsers percent-encode them, and Node's HTTP parser refuses them (a bare 400) before
 * the app sees the request.
 */
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...BASE62), minLength: 1, maxLength: 20 }) },
  { weight: 2, arbitrary: fc.constantFrom(LIVE, EXPIRED, LIVE.slice(0, 6), EXPIRED.toLowerCase()) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 255 }).map((b) => (b % 2 ? hex(b) : hex(b).toUpperCase())) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '%',
      '%Z',
      '%ZZ',
      '%G0',
      '%%',
      '%0',
      '%C0%80',
      '%ED%A0%80',
      '%F4%90%80%80',
      '%FF',
      '%00',
    ),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }).map(percentEncoded) },
  { weight: 2, arbitrary: fc.constantFrom(...'/?#.;&=+~"<>\\^`{|}[]\'!$()*,:@'.split(''), '..', '//', '?x=%ZZ') },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(300), 'A'.repeat(5000)) },
);

const linkPath = fc.record({
  segment: fc.array(piece, { maxLength: 5 }).map((pieces) => pieces.join('')),
  prefix: fc.oneof({ weight: 6, arbitrary: fc.constant('/r/') }, fc.constantFrom('/R/', '/r//', '/r/./')),
  method: fc.oneof({ weight: 6, arbitrary: fc.constant('GET') }, fc.constant('HEAD')),
});

let known: string | undefined;
const liveOpens = async () =>
  Number((await t.db.selectFrom('clicks').select('opens').where('code', '=', LIVE).executeTakeFirst())?.opens ?? 0);

describe('fuzzing GET /r/:code (seeded; CARTBACK_FUZZ_RUNS scales it)', () => {
  it(
    `always answers a page, never a 5xx; only a live code records an open (${RUNS} cases)`,
    async () => {
      await fc.assert(
        fc.asyncProperty(linkPath, async ({ segment, prefix, method }) => {
          const path = prefix + segment;
          const before = known ?? (await fingerprint(t.db));
          const opens = await liveOpens();
          errors.lines.length = 0;
          const reply = await rawRequest(t.base, { method, path });
          seen.seen(reply.status);
          known = undefined;
          if (reply.status >= 500) throw new Error(`${reply.status} ${reply.text}\nlogged: ${errors.lines.join('')}`);
          if (path === `/r/${LIVE}`) expect(reply.status).toBe(302);
          if (reply.status === 302) {
            // An open of the live link (its one click), recorded, and off to the store's restore URL.
            expect(await liveOpens()).toBe(opens + 1);
            expect(await countRows(t.db, 'clicks')).toBe(1);
          } else {
            expect(`${reply.status} ${reply.contentType} ${reply.text.slice(0, 80)}`).toMatch(/^\d+ text\/html/);
            if (method === 'GET') expect(reply.text).toMatch(/^<!doctype html>/);
            const after = await fingerprint(t.db);
            expect(after).toBe(before);
            known = after;
          }
        }),
        fuzzParameters(RUNS),
      );
    },
    fuzzTimeout(RUNS),
  );
});
