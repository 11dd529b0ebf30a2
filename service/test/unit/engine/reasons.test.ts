import { REASON_CODES, isReasonCode } from '../../../src/engine/reasons';

describe('reason codes', () => {
  it("are exactly DESIGN.md's policy codes, superseded, the engine's own five and issue 10's subject stops, issue 11's live-check stops and coupon reasons, issue 12's monitor pauses, each once", () => {
    expect([...REASON_CODES].sort()).toEqual(
      [
        'no_consent',
        'opted_out',
        'invalid_phone',
        'lane_paused',
        'all_paused',
        'converted',
        'cart_empty',
        'out_of_stock',
        'frequency_cap_lane',
        'frequency_cap_contact',
        'cross_channel_recent',
        'handoff_active',
        'template_unavailable',
        'provider_marketing_limit',
        'held_out',
        'quiet_hours',
        'store_unreachable',
        'no_image',
        'template_rejected',
        'reconcile_timeout',
        'superseded',
        'payment_pending',
        'product_in_cart',
        'order_cancelled',
        'order_refunded',
        'order_on_hold',
        'order_disputed',
        'all_out_of_stock',
        'products_gone',
        'incentive_budget_exhausted',
        'incentive_unavailable',
        'sending_paused_by_monitor',
        'lane_paused_by_monitor',
      ].sort(),
    );
  });

  it('fit the 32-character reason columns', () => {
    for (const code of REASON_CODES) expect(code.length).toBeLessThanOrEqual(32);
  });

  it('recognises a stored code and refuses anything else', () => {
    expect(isReasonCode('quiet_hours')).toBe(true);
    expect(isReasonCode('Quiet_Hours')).toBe(false);
    expect(isReasonCode('paused')).toBe(false);
    expect(isReasonCode(null)).toBe(false);
  });
});
