import type { LaneStep } from '../../../src/engine/lanes';
import type { CouponRow } from '../../../src/recovery/sql/coupons';
import { couponValueText, newCouponCode, withoutIncentive, wooCoupon } from '../../../src/recovery/step-coupon';

const row = (patch: Partial<CouponRow> = {}): CouponRow => ({
  id: 1,
  store_id: 1,
  enrollment_id: 7,
  step: 1,
  lane: 'abandoned_cart',
  code: 'CB-ABCDEFGH23',
  state: 'reserved',
  discount_type: 'fixed_cart',
  amount: '100.00',
  value: 10_000,
  currency: 'INR',
  minimum_spend: null,
  maximum_spend: null,
  email: null,
  expires_at: new Date('2026-11-23T06:30:00.000Z'),
  woo_id: null,
  create_attempts: 0,
  message_id: null,
  redeemed_at: null,
  redeemed_value: null,
  redeemed_order_id: null,
  removed_at: null,
  created_at: new Date('2026-11-21T06:30:00.000Z'),
  updated_at: new Date('2026-11-21T06:30:00.000Z'),
  ...patch,
});

describe('a coupon code', () => {
  it('is CB- and 10 symbols of an unambiguous alphabet, different each time', () => {
    const codes = new Set(Array.from({ length: 500 }, () => newCouponCode()));
    expect(codes.size).toBe(500);
    for (const code of codes) expect(code).toMatch(/^CB-[A-HJ-NP-Z2-9]{10}$/);
  });
});

describe('coupon_value', () => {
  it.each<[Partial<CouponRow>, string, string]>([
    [{}, 'en_IN', '₹100 off'],
    [{ value: 12_345, amount: '123.45' }, 'en_IN', '₹123.45 off'],
    [{ discount_type: 'percent', amount: '10', value: 2_500 }, 'en_IN', '10% off'],
    [{ currency: 'EUR', value: 500, amount: '5.00' }, 'de_DE', '5\u00a0€ off'],
  ])('%o in %s reads "%s"', (patch, locale, text) => {
    expect(couponValueText(row(patch), locale)).toBe(text);
  });
});

describe("the coupon's REST body", () => {
  it('is single use, individual, email-restricted when known, expiring, with its spend limits', () => {
    expect(
      wooCoupon(
        row({
          email: 'anna@example.com',
          minimum_spend: 100_000,
          maximum_spend: 500_000,
          discount_type: 'percent',
          amount: '10',
        }),
      ),
    ).toEqual({
      code: 'CB-ABCDEFGH23',
      discount_type: 'percent',
      amount: '10',
      individual_use: true,
      usage_limit: 1,
      usage_limit_per_user: 1,
      email_restrictions: ['anna@example.com'],
      date_expires: '2026-11-23T06:30:00Z',
      minimum_amount: '1000.00',
      maximum_amount: '5000.00',
      description: 'Cartback: abandoned_cart step 2',
    });
  });

  it('has no email restriction when the email is not known', () => {
    expect(wooCoupon(row())).not.toHaveProperty('email_restrictions');
  });
});

describe('a step without its incentive', () => {
  it('is its template_without_incentive, the coupon parameters dropped from the body', () => {
    const step: LaneStep = {
      delay: 'PT4H',
      template: 'cart_reminder_2_coupon',
      language: 'en',
      parameters: {
        header: null,
        body: ['first_name', 'coupon_value', 'coupon_code', 'item_count', 'first_item_name', 'cart_total'],
        buttons: [
          { type: 'url', parameter: 'link_code' },
          { type: 'quick_reply', payload: 'STOP' },
        ],
      },
      incentive: {
        type: 'fixed',
        amount: 10_000,
        ceiling: 10_000,
        expires_after: 'P2D',
        minimum_spend: null,
        template_without_incentive: 'cart_reminder_2_text',
      },
    };
    expect(withoutIncentive(step)).toEqual({
      delay: 'PT4H',
      template: 'cart_reminder_2_text',
      language: 'en',
      parameters: {
        header: null,
        body: ['first_name', 'item_count', 'first_item_name', 'cart_total'],
        buttons: step.parameters.buttons,
      },
    });
  });
});
