import { defaultLaneSettings } from '../../../src/engine/lane-defaults';
import {
  PAYMENT_CHECK_ORDER,
  paymentStartOf,
  type PaymentOrderFacts,
  type PaymentStart,
} from '../../../src/engine/payment-recovery';

const NOW = new Date('2026-06-15T10:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const settings = { ...defaultLaneSettings('payment_recovery'), enabled: true };

/** A pending order placed 45 minutes ago that would start: every fact favourable. */
function order(over: Partial<PaymentOrderFacts> = {}): PaymentOrderFacts {
  return {
    status: 'pending',
    placedAt: minutesAgo(45),
    failedAt: null,
    paidAt: null,
    refundedAt: null,
    contactId: 7,
    payUrl: 'https://shop.example/checkout/order-pay/123/?pay_for_order=true&key=wc_order_abc',
    utilityConsent: true,
    wcPendingOrderEmail: false,
    alreadyEnrolled: false,
    ...over,
  };
}

const reasonOf = (start: PaymentStart) => (start.kind === 'start' ? `start:${start.trigger}` : start.reason);

describe('payment_recovery: which unpaid orders start a journey (inactivity_delay PT30M)', () => {
  it.each<[string, Partial<PaymentOrderFacts>, string]>([
    ['pending 45 minutes', {}, 'start:pending'],
    ['pending exactly 30 minutes', { placedAt: minutesAgo(30) }, 'start:pending'],
    ['pending 29 minutes: too early', { placedAt: minutesAgo(29) }, 'too_early'],
    [
      'failed 1 minute after being placed 2 minutes ago',
      { status: 'failed', placedAt: minutesAgo(2), failedAt: minutesAgo(1) },
      'start:failed',
    ],
    ['failed with the wc- prefix and another case', { status: 'WC-Failed', failedAt: minutesAgo(1) }, 'start:failed'],
    [
      'pending again after a failure: no inactivity wait',
      { placedAt: minutesAgo(5), failedAt: minutesAgo(3) },
      'start:failed',
    ],
    ['pending, WooCommerce pending-order email on', { wcPendingOrderEmail: true }, 'store_reminds'],
    [
      'pending after a failure, WooCommerce pending-order email on',
      { failedAt: minutesAgo(3), wcPendingOrderEmail: true },
      'store_reminds',
    ],
    [
      'failed, WooCommerce pending-order email on',
      { status: 'failed', failedAt: minutesAgo(3), wcPendingOrderEmail: true },
      'start:failed',
    ],
    ['pending, pending-order email not reported: counted as off', { wcPendingOrderEmail: null }, 'start:pending'],
    ['paid: processing', { status: 'processing' }, 'paid'],
    ['paid: wc-completed', { status: 'wc-completed' }, 'paid'],
    ['pending but an order.paid was received', { paidAt: minutesAgo(1) }, 'paid'],
    ['refunded', { status: 'refunded' }, 'refunded'],
    ['failed, then refunded', { status: 'failed', failedAt: minutesAgo(40), refundedAt: minutesAgo(1) }, 'refunded'],
    ['cancelled', { status: 'cancelled' }, 'cancelled'],
    ['trashed', { status: 'trash' }, 'cancelled'],
    ['the block checkout draft', { status: 'checkout-draft' }, 'cancelled'],
    ['on hold (a bank transfer awaiting confirmation)', { status: 'on-hold' }, 'on_hold'],
    ['a status of its own from a plugin', { status: 'awaiting-shipment' }, 'not_awaiting_payment'],
    ['no status reported', { status: null }, 'not_awaiting_payment'],
    ['no contact', { contactId: null }, 'no_contact'],
    ['no utility consent', { utilityConsent: false }, 'no_consent'],
    ['no pay link', { payUrl: null }, 'no_pay_link'],
    ['an empty pay link', { payUrl: '' }, 'no_pay_link'],
    [
      'placed 7 days ago exactly',
      { status: 'failed', placedAt: minutesAgo(7 * 1440), failedAt: minutesAgo(60) },
      'start:failed',
    ],
    [
      'placed 7 days and a minute ago: too old',
      { status: 'failed', placedAt: minutesAgo(7 * 1440 + 1), failedAt: minutesAgo(60) },
      'too_old',
    ],
    ['its journey exists already', { alreadyEnrolled: true }, 'already_enrolled'],
  ])('%s', (_name, over, expected) => {
    expect(reasonOf(paymentStartOf(order(over), settings, NOW))).toBe(expected);
  });

  it('starts nothing while the lane is off', () => {
    expect(paymentStartOf(order(), { ...settings, enabled: false }, NOW)).toEqual({
      kind: 'not',
      reason: 'lane_disabled',
    });
  });

  it('anchors a failed order at its failure: step 1 due 30 minutes after it', () => {
    const failedAt = minutesAgo(5);
    expect(paymentStartOf(order({ status: 'failed', placedAt: minutesAgo(8), failedAt }), settings, NOW)).toEqual({
      kind: 'start',
      trigger: 'failed',
      contactId: 7,
      anchorAt: failedAt,
      nextDueAt: new Date(failedAt.getTime() + 30 * 60_000),
    });
  });

  it('anchors a failed order whose failure time is unknown at its placing', () => {
    const placedAt = minutesAgo(10);
    const start = paymentStartOf(order({ status: 'failed', placedAt }), settings, NOW);
    expect(start).toMatchObject({ kind: 'start', anchorAt: placedAt, nextDueAt: minutesAgo(-20) });
  });

  it('anchors a pending order at its placing, due now when the planner comes late', () => {
    const placedAt = minutesAgo(45);
    expect(paymentStartOf(order({ placedAt }), settings, NOW)).toEqual({
      kind: 'start',
      trigger: 'pending',
      contactId: 7,
      anchorAt: placedAt,
      nextDueAt: NOW,
    });
  });

  it('waits the lane’s own inactivity_delay for a pending order', () => {
    const slow = {
      ...settings,
      inactivity_delay: 'PT2H',
      steps: settings.steps.map((s, i) => ({ ...s, delay: i ? 'PT24H' : 'PT2H' })),
    };
    expect(reasonOf(paymentStartOf(order({ placedAt: minutesAgo(119) }), slow, NOW))).toBe('too_early');
    const start = paymentStartOf(order({ placedAt: minutesAgo(120) }), slow, NOW);
    expect(start).toMatchObject({ kind: 'start', anchorAt: minutesAgo(120), nextDueAt: NOW });
  });

  it('checks in the documented order: the first that applies is the answer', () => {
    expect(PAYMENT_CHECK_ORDER).toEqual([
      'lane_disabled',
      'already_enrolled',
      'paid',
      'refunded',
      'cancelled',
      'on_hold',
      'not_awaiting_payment',
      'no_contact',
      'no_consent',
      'no_pay_link',
      'too_old',
      'store_reminds',
      'too_early',
    ]);
    // Everything wrong at once: the order's state speaks before the contact, the contact before time.
    const bad = order({
      status: 'cancelled',
      contactId: null,
      utilityConsent: false,
      payUrl: null,
      placedAt: minutesAgo(1),
    });
    expect(reasonOf(paymentStartOf(bad, settings, NOW))).toBe('cancelled');
    expect(reasonOf(paymentStartOf({ ...bad, status: 'pending' }, settings, NOW))).toBe('no_contact');
    expect(reasonOf(paymentStartOf({ ...bad, status: 'pending', contactId: 7 }, settings, NOW))).toBe('no_consent');
    expect(
      reasonOf(paymentStartOf({ ...bad, status: 'pending', contactId: 7, utilityConsent: true }, settings, NOW)),
    ).toBe('no_pay_link');
  });
});
