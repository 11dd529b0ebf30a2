import {
  HELP_PAYLOAD,
  OPT_OUT_PAYLOAD,
  type LaneName,
  type LaneSettings,
  type LaneStep,
  type ParameterMapping,
} from './lane-types';

/**
 * Each lane's settings until an admin changes them (DESIGN.md's table of lanes). Every lane but
 * `abandoned_cart` starts disabled: nothing is sent in a lane before its planner is built and the
 * admin turns it on.
 */

/** A new object each call, so no two steps share (and a change to one alters) a mapping. */
function cartParameters(): ParameterMapping {
  return {
    header: 'first_item_image',
    body: ['first_name', 'item_count', 'first_item_name', 'cart_total'],
    buttons: [
      { type: 'url', parameter: 'link_code' },
      { type: 'quick_reply', payload: OPT_OUT_PAYLOAD },
    ],
  };
}

/** Default cart step `n`: `cart_reminder_<n>`, or `cart_reminder_<n>_text` when there is no image. */
function cartStep(n: number, delay: string): LaneStep {
  return {
    delay,
    template: `cart_reminder_${n}`,
    template_without_image: `cart_reminder_${n}_text`,
    language: 'en',
    parameters: cartParameters(),
  };
}

/** What every lane shares unless it says otherwise. */
function common(): Pick<LaneSettings, 'holdout_percent' | 'quiet_hours' | 'cap_per_contact' | 'lane_cap'> {
  return {
    holdout_percent: 10,
    quiet_hours: { start: '21:00', end: '09:00' },
    cap_per_contact: { max: 2, window: 'PT24H' },
    lane_cap: null,
  };
}

export const DEFAULTS: Record<LaneName, () => LaneSettings> = {
  abandoned_cart: () => ({
    enabled: true,
    category: 'marketing',
    inactivity_delay: 'PT15M',
    steps: [cartStep(1, 'PT15M'), cartStep(2, 'PT4H'), cartStep(3, 'PT23H')],
    ...common(),
  }),
  // One message 30 minutes after the product was viewed: the product, its live price, a button
  // that puts it in the cart; once per product per contact per 7 days.
  browse_abandonment: () => ({
    enabled: false,
    category: 'marketing',
    inactivity_delay: 'PT30M',
    steps: [
      {
        delay: 'PT30M',
        template: 'browse_reminder_1',
        template_without_image: 'browse_reminder_1_text',
        language: 'en',
        parameters: {
          header: 'product_image',
          body: ['first_name', 'product_name', 'product_price'],
          buttons: [
            { type: 'url', parameter: 'link_code' },
            { type: 'quick_reply', payload: OPT_OUT_PAYLOAD },
          ],
        },
      },
    ],
    ...common(),
    repeat_after: 'P7D',
  }),
  // Utility, never promotional: +30 min "complete your payment" with the order's own pay link,
  // +24 h an offer of help from a person.
  payment_recovery: () => ({
    enabled: false,
    category: 'utility',
    inactivity_delay: 'PT30M',
    steps: [
      {
        delay: 'PT30M',
        template: 'payment_reminder_1',
        language: 'en',
        parameters: {
          header: null,
          body: ['first_name', 'order_number', 'order_total'],
          buttons: [{ type: 'url', parameter: 'pay_link' }],
        },
      },
      {
        delay: 'PT24H',
        template: 'payment_help_1',
        language: 'en',
        parameters: {
          header: null,
          body: ['first_name', 'order_number'],
          buttons: [
            { type: 'url', parameter: 'pay_link' },
            { type: 'quick_reply', payload: HELP_PAYLOAD },
          ],
        },
      },
    ],
    ...common(),
  }),
  // One message an hour after the contact lapses (last paid order 60 days ago, nothing since),
  // at most once per contact per 30 days, offering up to 3 products.
  winback: () => ({
    enabled: false,
    category: 'marketing',
    inactivity_delay: 'PT1H',
    steps: [
      {
        delay: 'PT1H',
        template: 'winback_1',
        template_without_image: 'winback_1_text',
        language: 'en',
        parameters: {
          header: 'product_image',
          body: ['first_name', 'store_name', 'product_names'],
          buttons: [
            { type: 'url', parameter: 'link_code' },
            { type: 'quick_reply', payload: OPT_OUT_PAYLOAD },
          ],
        },
      },
    ],
    ...common(),
    lapse_after: 'P60D',
    repeat_after: 'P30D',
    max_products: 3,
  }),
};

/** A lane's settings until an admin changes them: a fresh copy, safe to modify. */
export function defaultLaneSettings(lane: LaneName): LaneSettings {
  return DEFAULTS[lane]();
}
