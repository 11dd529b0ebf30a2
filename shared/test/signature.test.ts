import { signRequest, signatureHeaders, verifySignature } from '../src/signature';

const secret = 'a-shared-secret-of-at-least-32-characters';
const body = '{"events":[]}';
const now = 1_763_700_000;

function verify(
  overrides: Partial<{ method: string; path: string; body: string; timestamp: string; signature: string; now: number }>,
) {
  const timestamp = overrides.timestamp ?? String(now);
  const signature = overrides.signature ?? signRequest(secret, { timestamp, method: 'POST', path: '/v1/events', body });
  return verifySignature(
    secret,
    { timestamp, signature },
    { method: overrides.method ?? 'POST', path: overrides.path ?? '/v1/events', body: overrides.body ?? body },
    overrides.now ?? now,
  );
}

describe('request signatures', () => {
  it('signs "<timestamp>.<METHOD>.<path>.<body>" with HMAC-SHA256 as v1=<hex>', () => {
    // Reference value computed independently: printf '1763700000.POST./v1/events.{"events":[]}' | openssl dgst -sha256 -hmac "$secret"
    expect(signRequest(secret, { timestamp: now, method: 'post', path: '/v1/events', body })).toBe(
      'v1=a397718e3b959f11ec8e844ccb6fee0343f34d7d5b3b25fe74465eb97e921a3e',
    );
  });

  it('accepts a request signed with the same secret', () => {
    expect(verify({})).toEqual({ ok: true });
  });

  it.each([
    ['another body', { body: '{"events":[1]}' }],
    ['another path', { path: '/v1/restore/abc' }],
    ['another method', { method: 'GET' }],
    [
      'a signature made with another secret',
      { signature: signRequest('x'.repeat(40), { timestamp: now, method: 'POST', path: '/v1/events', body }) },
    ],
    ['a malformed signature', { signature: 'v1=zz' }],
    [
      'a signature without its scheme',
      { signature: signRequest(secret, { timestamp: now, method: 'POST', path: '/v1/events', body }).slice(3) },
    ],
  ])('rejects %s as invalid_signature', (_name, overrides) => {
    expect(verify(overrides)).toMatchObject({ ok: false, code: 'invalid_signature' });
  });

  it('accepts a timestamp up to 300 s away and rejects one further', () => {
    expect(verify({ now: now + 300 })).toEqual({ ok: true });
    expect(verify({ now: now - 300 })).toEqual({ ok: true });
    expect(verify({ now: now + 301 })).toMatchObject({ ok: false, code: 'stale_timestamp' });
    expect(verify({ now: now - 301 })).toMatchObject({ ok: false, code: 'stale_timestamp' });
    expect(verify({ timestamp: 'yesterday' })).toMatchObject({ ok: false, code: 'stale_timestamp' });
  });

  it('rejects a request without the headers', () => {
    const verdict = verifySignature(
      secret,
      { timestamp: undefined, signature: undefined },
      { method: 'POST', path: '/v1/events', body },
      now,
    );
    expect(verdict).toMatchObject({ ok: false, code: 'missing_signature' });
  });

  it('signatureHeaders produces headers that verify', () => {
    const headers = signatureHeaders(secret, { method: 'GET', path: '/v1/restore/tok?x=1', body: '' }, now);
    expect(
      verifySignature(
        secret,
        { timestamp: headers['X-Cartback-Timestamp'], signature: headers['X-Cartback-Signature'] },
        { method: 'GET', path: '/v1/restore/tok?x=1', body: Buffer.alloc(0) },
        now,
      ),
    ).toEqual({ ok: true });
  });
});
