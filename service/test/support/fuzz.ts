import fc from 'fast-check';

/**
 * Seeded property-based fuzzing (issue 9.9): the run count and the seed, and arbitraries that
 * start from a valid value and break it in the ways a careless or hostile client would.
 *
 * `CARTBACK_FUZZ_RUNS` is the number of cases across all the fuzz files (default 3,000; each file
 * takes its share), `CARTBACK_FUZZ_SEED` the seed (default fixed, so a run is repeatable; a
 * failure prints the seed and path to replay it).
 */
export const FUZZ_SEED = Number(process.env.CARTBACK_FUZZ_SEED ?? 20261202);
const TOTAL_RUNS = Number(process.env.CARTBACK_FUZZ_RUNS ?? 3000);

/** This property's number of cases: `share` of CARTBACK_FUZZ_RUNS (at least 10). */
export function fuzzRuns(share: number): number {
  return Math.max(10, Math.round(TOTAL_RUNS * share));
}

/** fast-check's parameters for `runs` cases with the seed. */
export function fuzzParameters(runs: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns: runs };
}

/** A Jest timeout for `runs` cases (10–25 ms each here; room for a slower machine and shrinking). */
export const fuzzTimeout = (runs: number): number => 60_000 + runs * 50;

/** A lone UTF-16 surrogate: JSON can carry one ("\ud800"), UTF-8 cannot. */
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

/** Nested arrays or objects `depth` levels deep (the service refuses more than 32). */
export function nested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = kind === 'array' ? [] : {};
  for (let i = 1; i < depth; i++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

const TIMES = [
  '2026-02-30T00:00:00Z',
  '2026-11-21T24:00:00Z',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '0000-01-01T00:00:00Z',
  '1970-01-01T00:00:00Z',
  '1999-12-31T23:59:59Z',
  '2038-01-19T03:14:08Z',
  '9999-12-31T23:59:59.999Z',
  '10000-01-01T00:00:00Z',
  '2026-11-21T10:15:00',
  '2026-11-21T10:15:00+05:30',
  '2026-11-21T10:15:00.1234567890123Z',
  '2026-11-21 10:15:00Z',
  '1763700000',
];

/** Strings that break columns, encodings and parsers. */
export const weirdString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.oneof(loneSurrogate, fc.constantFrom('a', '😀', 'Ω', '\u0000')), maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(...TIMES),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc
    .tuple(
      fc.constantFrom('x', 'Ω', '😀', '\ud83d', '%', "'", '\\'),
      fc.constantFrom(17, 65, 101, 257, 2001, 2049, 70_000),
    )
    .map(([unit, n]) => unit.repeat(n)),
  fc.constantFrom('', ' ', '0', '-1', 'null', 'true', 'NaN', '[]', '{}', '+919812345678', 'USD', '__proto__'),
);

/** Numbers just past what a column or a JSON number holds, and other odd ones. */
export const weirdNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 0.5, 1.5, -1.5, 2 ** 31, 2 ** 31 - 1, 2 ** 32, 2 ** 32 - 1, 2 ** 32 + 1),
  fc.constantFrom(2 ** 53 - 1, 2 ** 53, 2 ** 63, 2 ** 64, 1e21, 1e308, -1e308, 5e-324, 1e-7, 1763700000),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.maxSafeInteger(),
);

/**
 * Any value to put in place of a valid one: a wrong type, an odd number or string, null, an
 * empty or deep container, random JSON. `deep` allows nesting past the service's limit of 32.
 */
export function weirdValue(deep = true): fc.Arbitrary<unknown> {
  const deepValue = fc
    .tuple(fc.constantFrom(31, 32, 33, 300), fc.constantFrom('array' as const, 'object' as const))
    .map(([depth, kind]) => nested(depth, kind));
  const shallow: Array<fc.WeightedArbitrary<unknown>> = [
    { weight: 3, arbitrary: weirdString },
    { weight: 3, arbitrary: weirdNumber },
    { weight: 2, arbitrary: fc.constantFrom<unknown>(null, true, false, [], {}, [null], { '': null }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  ];
  return fc.oneof(...shallow, ...(deep ? [{ weight: 1, arbitrary: deepValue }] : []));
}

export type Op = 'tweak' | 'replace' | 'delete' | 'add' | 'wrap' | 'values' | 'entries' | 'duplicate';

/** One change to a JSON value: `at` picks a node (modulo the node count). */
export interface Mutation {
  at: number;
  op: Op;
  key: string;
  value: unknown;
}

const KEYS = [
  'id',
  'type',
  'data',
  'events',
  'occurred_at',
  'object',
  'entry',
  'changes',
  'value',
  '__proto__',
  'constructor',
];

const OPS: readonly Op[] = [
  'tweak',
  'tweak',
  'tweak',
  'replace',
  'replace',
  'replace',
  'delete',
  'add',
  'wrap',
  'values',
  'entries',
  'duplicate',
];

/** One mutation; `ops` limits the kinds (only 'tweak' and 'add' mostly keep a value valid). */
export function mutation(deep = true, ops: readonly Op[] = OPS): fc.Arbitrary<Mutation> {
  return fc.record({
    at: fc.nat(),
    op: fc.constantFrom(...ops),
    key: fc.oneof(fc.constantFrom(...KEYS), weirdString),
    value: weirdValue(deep),
  });
}

type Container = Record<string, unknown> | unknown[];
interface Node {
  parent: Container | null;
  key: string | number;
  value: unknown;
}

/** Every node of a JSON value, the root first (its parent null). */
function nodes(root: unknown): Node[] {
  const out: Node[] = [{ parent: null, key: '', value: root }];
  for (let i = 0; i < out.length; i++) {
    const value = (out[i] as Node).value;
    if (typeof value !== 'object' || value === null) continue;
    for (const [key, child] of Object.entries(value)) {
      out.push({ parent: value as Container, key: Array.isArray(value) ? Number(key) : key, value: child });
    }
  }
  return out;
}

/** An own, enumerable property, even for "__proto__" (which plain assignment would not make). */
const setOwn = (target: object, key: string | number, value: unknown) =>
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });

/** Applies the mutations to a copy of `value` (JSON round-trip) and returns the result. */
export function mutate(value: unknown, mutations: readonly Mutation[]): unknown {
  const box: Container = [JSON.parse(JSON.stringify(value)) as unknown];
  for (const mutation of mutations) {
    // A copy of the new value: fast-check hands out the same constant objects again and again,
    // and one changed in place (or put inside itself) would be changed for every later case.
    const m = {
      ...mutation,
      value: mutation.value === undefined ? undefined : (JSON.parse(JSON.stringify(mutation.value)) as unknown),
    };
    const all = nodes(box[0]);
    const node = all[m.at % all.length] as Node;
    const parent: Container = node.parent ?? box;
    const key = node.parent ? node.key : 0;
    const replace = (next: unknown) => setOwn(parent, key, next);
    const copy = () => JSON.parse(JSON.stringify(node.value ?? null)) as unknown;
    switch (m.op) {
      case 'tweak':
        // Near the valid value, so that more of these pass validation and reach the database.
        if (typeof node.value === 'string') replace(m.at % 2 ? node.value + m.key : m.key + node.value);
        else if (typeof node.value === 'number')
          replace([node.value + 1, node.value - 1, node.value * 1000, -node.value][m.at % 4]);
        else if (typeof node.value === 'boolean') replace(!node.value);
        else replace(m.value);
        break;
      case 'replace':
        replace(m.value);
        break;
      case 'delete':
        if (Array.isArray(parent) && parent !== box) parent.splice(key as number, 1);
        else if (parent !== box) delete (parent as Record<string, unknown>)[key as string];
        else replace(undefined);
        break;
      case 'add':
        if (Array.isArray(node.value)) node.value.push(m.value);
        else if (typeof node.value === 'object' && node.value !== null) setOwn(node.value, m.key, m.value);
        else replace(m.value);
        break;
      case 'wrap':
        replace([node.value]);
        break;
      case 'values':
        replace(
          typeof node.value === 'object' && node.value !== null ? Object.values(node.value) : { [m.key]: node.value },
        );
        break;
      case 'entries':
        replace(
          Array.isArray(node.value) ? { ...node.value } : typeof node.value === 'object' ? node.value : [node.value],
        );
        break;
      case 'duplicate':
        if (Array.isArray(parent) && parent !== box) parent.splice(key as number, 0, copy());
        else replace([node.value, copy()]);
        break;
    }
  }
  return box[0];
}

/**
 * A valid value, or one broken by 1–3 mutations (about one in six left intact). `intact` says
 * the value is untouched and `isValid` holds for it (for a `valid` that is not always valid).
 */
export function mutated<T>(
  valid: fc.Arbitrary<T>,
  deep = true,
  isValid: (value: T) => boolean = () => true,
): fc.Arbitrary<{ value: unknown; intact: boolean }> {
  return fc
    .tuple(
      valid,
      fc.oneof(
        { weight: 1, arbitrary: fc.constant([]) },
        { weight: 5, arbitrary: fc.array(mutation(deep), { minLength: 1, maxLength: 3 }) },
      ),
    )
    .map(([value, mutations]) => ({
      value: mutations.length ? mutate(value, mutations) : value,
      intact: mutations.length === 0 && isValid(value),
    }));
}

/** Bodies that are not (quite) JSON. */
const notJson: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .constantFrom(
      '',
      ' ',
      '{',
      'null',
      '[]',
      '"x"',
      'NaN',
      '{"events":[}',
      '{"events":[1,]}',
      "{'events':[]}",
      '\ufeff{}',
    )
    .map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(
    Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
    Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]),
    Buffer.from('{"a":"\\ud800"}'),
  ),
);

/**
 * A request body from a JSON value: its JSON text (mostly), cut short, with a key repeated, or
 * replaced by something that is not JSON at all.
 */
export function bodyFrom(
  value: fc.Arbitrary<{ value: unknown; intact: boolean }>,
): fc.Arbitrary<{ body: Buffer; intact: boolean }> {
  const text = (v: unknown) => Buffer.from(JSON.stringify(v) ?? '');
  return fc
    .oneof(
      { weight: 12, arbitrary: value.map(({ value, intact }) => ({ body: text(value), intact })) },
      {
        weight: 1,
        arbitrary: fc.tuple(value, fc.nat()).map(([{ value }, cut]) => {
          const whole = text(value);
          return { body: whole.subarray(0, cut % Math.max(1, whole.length)), intact: false };
        }),
      },
      {
        weight: 1,
        arbitrary: value.map(({ value }) => ({
          body: Buffer.from((JSON.stringify(value) ?? '{}').replace(/^\{/, '{"events":7,"object":null,')),
          intact: false,
        })),
      },
      { weight: 1, arbitrary: notJson.map((body) => ({ body, intact: false })) },
    )
    .map((payload) => withText(payload));
}

/** Shows a body as its text (not a list of bytes) in a counterexample. */
function withText<T extends { body: Buffer }>(payload: T): T {
  return Object.assign(payload, {
    [fc.toStringMethod]: () =>
      `{ body: ${JSON.stringify(payload.body.toString('utf8'))}, ...${JSON.stringify({ ...payload, body: undefined })} }`,
  });
}

/** Content types a client might send, or none. */
export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      undefined,
      'text/plain',
      'application/json; charset=utf-16',
      'application/json; charset=latin1',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      '*/*',
      'application/octet-stream',
      '',
      ';;;',
    ),
  },
);
