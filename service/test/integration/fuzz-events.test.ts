import { signatureHeaders, type EventType } from '@cartback/shared';
import fc from 'fast-check';
import { allFixtures } from '../support/events';
import {
  bodyFrom,
  contentType,
  fuzzParameters,
  fuzzRuns,
  fuzzTimeout,
  mutate,
  mutated,
  mutation,
} from '../support/fuzz';
import { errorLog, fingerprint, rawRequest, tally } from '../support/fuzz-http';
import { TEST_SECRET, useTestApp } from '../support/http';

/**
 * Issue 9.9: seeded fuzzing of `POST /v1/events`. Valid batches of every event type, broken in
 * ways a client could break them (wrong types, numbers past a column, odd times and strings,
 * nesting, missing and extra keys, repeated ids, bodies that are not JSON, odd content types and
 * encodings, bad signatures): never a 5xx, and a 4xx changes nothing in the database.
 */
const errors = errorLog();
const t = useTestApp({ logger: errors.logger });
const seen = tally('POST /v1/events');
const RUNS = fuzzRuns(0.25);
const NUDGED_RUNS = fuzzRuns(0.15);

const FIXTURES = new Map(allFixtures().map((e) => [e.type, e]));
const TYPES = [...FIXTURES.keys()] as EventType[];

/** Ids from a small pool repeat across cases (duplicates); fresh ones add rows. */
const eventId = fc.oneof(
  fc.uuid({ version: 4 }),
  fc.integer({ min: 0, max: 99 }).map((i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`),
);

/** A valid event: a shared fixture with an id and a time in the past (fixed, so runs repeat). */
const validEvent = fc
  .record({
    type: fc.constantFrom(...TYPES),
    id: eventId,
    at: fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2025-12-31T23:59:59Z'), noInvalidDate: true }),
  })
  .map(({ type, id, at }) => ({ ...FIXTURES.get(type), id, occurred_at: at.toISOString() }));

/**
 * An event whose data has a value nudged (text run on with odd characters, a number one past or
 * a thousand times, a flag flipped) or an extra key: often still valid, so it reaches the database.
 */
const nudgedEvent = fc
  .tuple(validEvent, fc.array(mutation(false, ['tweak', 'tweak', 'add']), { minLength: 1, maxLength: 2 }))
  .map(([e, mutations]) => {
    const nudged = { ...e, data: mutate(e.data, mutations) };
    NUDGED.add(nudged);
    return nudged;
  });
const NUDGED = new WeakSet<object>();

const validBatch = fc
  .array(fc.oneof(validEvent, nudgedEvent), { minLength: 1, maxLength: 3 })
  .map((events) => ({ events }));

type Signing = 'valid' | 'none' | 'wrong_secret' | 'stale' | 'other_body' | 'other_path' | 'garbled';

const requestArb = fc.record({
  payload: bodyFrom(mutated(validBatch, true, (b) => !b.events.some((e) => NUDGED.has(e)))),
  signing: fc.oneof(
    { weight: 12, arbitrary: fc.constant<Signing>('valid') },
    {
      weight: 1,
      arbitrary: fc.constantFrom<Signing>('none', 'wrong_secret', 'stale', 'other_body', 'other_path', 'garbled'),
    },
  ),
  path: fc.oneof(
    { weight: 8, arbitrary: fc.constant('/v1/events') },
    fc.constantFrom('/v1/events?x=%ZZ', '/v1/events/', '/V1/Events'),
  ),
  contentType,
  encoding: fc.option(fc.constantFrom('gzip', 'br', 'identity', 'x-custom'), { freq: 15, nil: undefined }),
});

/** One nudged event, validly signed: a third or so pass validation and go to the database. */
const nudgedRequest = nudgedEvent.map((e): FuzzRequest => ({
  payload: { body: Buffer.from(JSON.stringify({ events: [e] })), intact: false },
  signing: 'valid',
  path: '/v1/events',
  contentType: 'application/json',
  encoding: undefined,
}));

type FuzzRequest = typeof requestArb extends fc.Arbitrary<infer R> ? R : never;

function headersFor(req: FuzzRequest): Record<string, string | undefined> {
  const now = Math.floor(Date.now() / 1000);
  const { body } = req.payload;
  const sign = (secret: string, path: string, signed: Buffer | string, at = now) =>
    signatureHeaders(secret, { method: 'POST', path, body: signed }, at);
  const signatures: Record<Signing, Record<string, string>> = {
    valid: sign(TEST_SECRET, req.path, body),
    none: {},
    wrong_secret: sign('not-the-secret', req.path, body),
    stale: sign(TEST_SECRET, req.path, body, now - 3600),
    other_body: sign(TEST_SECRET, req.path, Buffer.concat([body, Buffer.from(' ')])),
    other_path: sign(TEST_SECRET, '/v1/events?other', body),
    garbled: { 'X-Cartback-Timestamp': `${now}`, 'X-Cartback-Signature': 'v1=' + 'zz'.repeat(32) },
  };
  return { 'content-type': req.contentType, 'content-encoding': req.encoding, ...signatures[req.signing] };
}

/** The database as the previous case left it, while known (a 4xx leaves it as it was). */
let known: string | undefined;

async function check(req: FuzzRequest): Promise<void> {
  const before = known ?? (await fingerprint(t.db));
  errors.lines.length = 0;
  const reply = await rawRequest(t.base, {
    method: 'POST',
    path: req.path,
    headers: headersFor(req),
    body: req.payload.body,
  });
  seen.seen(reply.status);
  known = undefined;
  if (reply.status >= 500) {
    throw new Error(`${reply.status} ${reply.text}\nlogged: ${errors.lines.join('')}`);
  }
  if (reply.status >= 400) {
    const after = await fingerprint(t.db);
    expect(after).toBe(before);
    known = after;
    expect(reply.contentType).toContain('application/json');
    expect(JSON.parse(reply.text)).toEqual({
      error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }),
    });
  } else {
    expect(reply.status).toBe(200);
    const { accepted, duplicates } = JSON.parse(reply.text) as { accepted: number; duplicates: number };
    const events = (JSON.parse(req.payload.body.toString('utf8')) as { events: unknown[] }).events;
    expect(accepted + duplicates).toBe(events.length);
  }
  // A compressed body is refused (415) before its signature is read; otherwise a bad signature is 401.
  const compressed = req.encoding !== undefined && req.encoding !== 'identity';
  if (compressed) expect(reply.status).toBe(415);
  else if (req.signing !== 'valid') expect(reply.status).toBe(401);
  else if (req.payload.intact) expect(reply.status).toBe(200);
}

describe('fuzzing POST /v1/events (seeded; CARTBACK_FUZZ_RUNS scales it)', () => {
  it(
    `never answers 5xx, and a 4xx changes nothing (${RUNS} cases)`,
    async () => {
      await fc.assert(fc.asyncProperty(requestArb, check), fuzzParameters(RUNS));
    },
    fuzzTimeout(RUNS),
  );

  it(
    `takes or refuses events with a value nudged, never 5xx, a refusal storing nothing (${NUDGED_RUNS} cases)`,
    async () => {
      await fc.assert(fc.asyncProperty(nudgedRequest, check), fuzzParameters(NUDGED_RUNS));
    },
    fuzzTimeout(NUDGED_RUNS),
  );
});
