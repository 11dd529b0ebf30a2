import { currentConsent, type LedgerEntry } from '../../src/consent/current';

const entry = (id: number, action: LedgerEntry['action'], iso: string, scope: LedgerEntry['scope'] = 'marketing') => ({
  id,
  scope,
  action,
  source: 'checkout_block',
  text: 'Send me offers on WhatsApp',
  textVersion: 1,
  occurredAt: new Date(iso),
});

describe('current consent', () => {
  it('is not given when the contact never answered', () => {
    expect(currentConsent([])).toEqual({
      marketing: { granted: false, decidedBy: null },
      utility: { granted: false, decidedBy: null },
    });
  });

  it('follows the last answer in time, whatever order the ledger was written in', () => {
    const grant = entry(3, 'granted', '2026-11-21T10:00:00Z');
    const withdraw = entry(1, 'withdrawn', '2026-11-21T10:01:00Z');
    const regrant = entry(2, 'granted', '2026-11-21T10:02:00Z');
    expect(currentConsent([grant, withdraw, regrant]).marketing).toEqual({ granted: true, decidedBy: regrant });
    expect(currentConsent([regrant, grant, withdraw]).marketing.decidedBy).toBe(regrant);
    expect(currentConsent([grant, withdraw]).marketing.granted).toBe(false);
  });

  it('keeps the scopes apart', () => {
    const state = currentConsent([entry(1, 'granted', '2026-11-21T10:00:00Z', 'utility')]);
    expect(state.utility.granted).toBe(true);
    expect(state.marketing.granted).toBe(false);
  });
});
