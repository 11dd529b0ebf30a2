import { outcomeWrite } from '../../../src/dispatch/outcome';

const now = new Date('2026-11-21T10:00:00Z');

describe('outcomeWrite', () => {
  it('stops the journey when WhatsApp refuses a send for its template or parameters', () => {
    const write = outcomeWrite({ kind: 'failed', code: '132000', message: 'parameter count mismatch' }, 1, now);
    expect(write).toMatchObject({
      state: 'failed',
      errorCode: '132000',
      history: { kind: 'failed', reason: 'template_rejected', detail: '132000: parameter count mismatch' },
      stopJourney: 'template_rejected',
    });
  });

  it('keeps the journey going after a failure that is about this recipient only', () => {
    const undeliverable = outcomeWrite({ kind: 'failed', code: '131026', message: 'undeliverable' }, 1, now);
    expect(undeliverable.stopJourney).toBeUndefined();
    expect(undeliverable.history.reason).toBeNull();
    const limited = outcomeWrite({ kind: 'failed', code: '131049', message: 'limit' }, 1, now);
    expect(limited).toMatchObject({ history: { reason: 'provider_marketing_limit' } });
    expect(limited.stopJourney).toBeUndefined();
    expect(outcomeWrite({ kind: 'failed', code: 'invalid_payload', message: 'x' }, 1, now).stopJourney).toBeUndefined();
  });
});
