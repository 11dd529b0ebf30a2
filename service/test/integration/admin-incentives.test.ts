import { signedRequest, useTestApp } from '../support/http';

/** The store's incentive budget over the signed admin routes (issue 11, part 2). */
const t = useTestApp();
const PATH = '/v1/admin/incentives';

const month = () => new Date().toISOString().slice(0, 7);

describe('GET|PUT /v1/admin/incentives', () => {
  it('starts at 0 (no coupons until the admin sets a budget)', async () => {
    expect(await signedRequest(t.base, 'GET', PATH)).toEqual({
      status: 200,
      body: {
        monthly_budget: 0,
        currency: expect.stringMatching(/^[A-Z]{3}$/),
        month: month(),
        committed: 0,
        redeemed: 0,
        remaining: 0,
      },
    });
  });

  it('stores a budget and reports what is left of it', async () => {
    const reply = await signedRequest(t.base, 'PUT', PATH, JSON.stringify({ monthly_budget: 500_000 }));
    expect(reply).toMatchObject({ status: 200, body: { monthly_budget: 500_000, remaining: 500_000 } });
    expect((await signedRequest(t.base, 'GET', PATH)).body).toMatchObject({ monthly_budget: 500_000 });
  });

  it.each<[string, unknown]>([
    ['a negative budget', { monthly_budget: -1 }],
    ['a fraction', { monthly_budget: 10.5 }],
    ['a string', { monthly_budget: '100' }],
    ['no budget', {}],
  ])('refuses %s with 400 naming monthly_budget, storing nothing', async (_name, body) => {
    const reply = await signedRequest(t.base, 'PUT', PATH, JSON.stringify(body));
    expect(reply).toEqual({
      status: 400,
      body: {
        error: { code: 'invalid_settings', message: expect.stringContaining('monthly_budget'), path: 'monthly_budget' },
      },
    });
    expect((await signedRequest(t.base, 'GET', PATH)).body).toMatchObject({ monthly_budget: 500_000 });
  });

  it('refuses an unsigned request', async () => {
    const res = await fetch(t.base + PATH);
    expect(res.status).toBe(401);
  });
});
