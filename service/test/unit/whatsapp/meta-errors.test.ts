import {
  classifyMetaError,
  KNOWN_META_ERROR_CODES,
  MARKETING_LIMIT_COOLDOWN_MS,
  metaErrorScope,
  refusedForTemplate,
  suggestedBackoffMs,
  type MetaErrorClass,
  type MetaErrorScope,
} from '../../../src/whatsapp/meta-errors';

describe('classifyMetaError', () => {
  const table: Array<[number, MetaErrorClass, MetaErrorScope, string]> = [
    [130429, 'retry', 'number', 'throughput reached'],
    [131056, 'retry', 'recipient', 'pair rate limit'],
    [131057, 'retry', 'number', 'throughput upgrade'],
    [1, 'retry', 'message', 'unknown API error'],
    [2, 'retry', 'message', 'service error'],
    [131000, 'retry', 'message', 'something went wrong'],
    [131016, 'retry', 'message', 'service unavailable'],
    [190, 'retry', 'account', 'access token expired: a misconfiguration, nothing was sent'],
    [4, 'retry', 'account', 'app call rate limit'],
    [80007, 'retry', 'account', 'WABA call rate limit'],
    [80008, 'retry', 'account', 'WABA call rate limit'],
    [131050, 'opted_out', 'recipient', 'user stopped marketing messages'],
    [131026, 'failed', 'recipient', 'undeliverable'],
    [131047, 'failed', 'recipient', 'outside the service window'],
    [131049, 'failed', 'recipient', 'per-user marketing limit'],
    [130472, 'failed', 'recipient', 'experiment group'],
    [131048, 'failed', 'number', 'spam rate limit'],
    [132000, 'failed', 'template', 'parameter count mismatch'],
    [132001, 'failed', 'template', 'template missing in that language'],
    [132005, 'failed', 'template', 'translated text too long'],
    [132007, 'failed', 'template', 'format character policy violated'],
    [132012, 'failed', 'template', 'parameter format'],
    [132015, 'failed', 'template', 'template paused'],
    [132016, 'failed', 'template', 'template disabled'],
    [132018, 'failed', 'template', 'parameter text with newlines'],
    [100, 'failed', 'message', 'invalid parameter'],
    [131008, 'failed', 'message', 'required parameter missing'],
    [131009, 'failed', 'message', 'parameter value not valid'],
    [999999, 'failed', 'message', 'an unknown code'],
  ];

  it.each(table)('%i → %s (%s): %s', (code, kind, scope) => {
    expect(classifyMetaError(code)).toBe(kind);
    expect(metaErrorScope(code)).toBe(scope);
  });

  it('decides on the code, not on the HTTP status', () => {
    expect(classifyMetaError(131026, 429)).toBe('failed');
    expect(classifyMetaError(131026, 500)).toBe('failed');
    expect(classifyMetaError(130429, 400)).toBe('retry');
    expect(classifyMetaError(131050, 200)).toBe('opted_out');
  });

  it('retries an unknown code only when the status says throttled', () => {
    expect(classifyMetaError(123456, 429)).toBe('retry');
    expect(classifyMetaError(123456, 503)).toBe('failed');
    expect(classifyMetaError(123456, 400)).toBe('failed');
  });

  it('knows every code the table covers', () => {
    const tested = new Set(table.map(([code]) => code));
    expect(KNOWN_META_ERROR_CODES.filter((c) => !tested.has(c))).toEqual([]);
  });
});

describe('suggestedBackoffMs', () => {
  it.each([
    [130429, 1, 2_000],
    [130429, 2, 4_000],
    [130429, 10, 60_000],
    [131056, 1, 6_000],
    [131056, 3, 24_000],
    [131056, 20, 300_000],
    [131057, 1, 60_000],
    [131000, 1, 5_000],
    [131016, 2, 10_000],
    [2, 50, 300_000],
    [190, 1, 300_000],
    [190, 5, 1_800_000],
  ])('%i, attempt %i → %i ms', (code, attempt, ms) => {
    expect(suggestedBackoffMs(code, attempt)).toBe(ms);
  });

  it('waits at least 6 s after a pair rate limit, whatever the attempt', () => {
    for (const attempt of [0, -1, 1, 2, NaN, Infinity]) {
      expect(suggestedBackoffMs(131056, attempt)).toBeGreaterThanOrEqual(6_000);
    }
  });

  it('suggests nothing for codes that must not be retried', () => {
    for (const code of [131026, 131047, 131048, 131049, 131050, 132000, 100, 130472, 424242]) {
      expect(suggestedBackoffMs(code)).toBeUndefined();
    }
  });

  it('backs off an unknown code with HTTP 429 like a transient error', () => {
    expect(suggestedBackoffMs(424242, 1, 429)).toBe(5_000);
  });

  it('holds marketing to a user for a day after 131049', () => {
    expect(MARKETING_LIMIT_COOLDOWN_MS).toBe(24 * 60 * 60 * 1000);
  });
});

describe('refusedForTemplate', () => {
  it.each([132000, 132001, 132005, 132007, 132012, 132015, 132016, 132018, 100, 131008, 131009])(
    '%i refuses the send for its template or parameters: the journey stops',
    (code) => expect(refusedForTemplate(code)).toBe(true),
  );

  it.each([131026, 131049, 131050, 130429, 131048, 190, 1, 999999])('%i is not about the template', (code) => {
    expect(refusedForTemplate(code)).toBe(false);
  });
});
