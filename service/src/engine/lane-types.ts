/**
 * The vocabulary of lane settings (DESIGN.md, "Lanes"): the lanes, their template categories, the
 * values a template parameter can be filled with and which lane can fill which, and the settings'
 * shape. The defaults are in lane-defaults.ts, the validation in lanes.ts.
 */

/**
 * The four lanes, in order of precedence: when two would chase one contact, the earlier wins
 * (engine/arbitration.ts).
 */
export const LANE_NAMES = ['payment_recovery', 'abandoned_cart', 'browse_abandonment', 'winback'] as const;
export type LaneName = (typeof LANE_NAMES)[number];

export function isLaneName(value: unknown): value is LaneName {
  return typeof value === 'string' && (LANE_NAMES as readonly string[]).includes(value);
}

export const TEMPLATE_CATEGORIES = ['marketing', 'utility'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

/** Parameters rendered as text. */
export const TEXT_PARAMETERS = [
  'first_name',
  'item_count',
  'first_item_name',
  'store_name',
  'link_code',
  'coupon_code',
  /** The step's coupon's worth, formatted: "₹100 off", "10% off" (recovery/step-coupon.ts). */
  'coupon_value',
  /** The product a browse or win-back message is about (win-back: the first of its products). */
  'product_name',
  /** Win-back: the names of its products (up to `max_products`), as one list ("A, B and C"). */
  'product_names',
  /** Payment recovery: the order's number as the shopper knows it. */
  'order_number',
  /** Payment recovery: the code of the tracked link to the order's own pay page (a URL button's suffix). */
  'pay_link',
] as const;
export type TextParameterName = (typeof TEXT_PARAMETERS)[number];

/** Parameters rendered as a currency amount (formatted for the store's locale). */
export const CURRENCY_PARAMETERS = ['cart_total', 'product_price', 'order_total'] as const;
export type CurrencyParameterName = (typeof CURRENCY_PARAMETERS)[number];

/** Parameters rendered as an image header (JPEG or PNG). */
export const IMAGE_PARAMETERS = ['first_item_image', 'product_image'] as const;
export type ImageParameterName = (typeof IMAGE_PARAMETERS)[number];

export type ParameterName = TextParameterName | CurrencyParameterName | ImageParameterName;
export type BodyParameterName = TextParameterName | CurrencyParameterName;
export type HeaderParameterName = ImageParameterName | TextParameterName;

/** Every parameter name. */
export const PARAMETER_NAMES: readonly ParameterName[] = [
  ...TEXT_PARAMETERS,
  ...CURRENCY_PARAMETERS,
  ...IMAGE_PARAMETERS,
];

/** Parameters that carry an incentive: never in a utility lane (payment recovery is never promotional). */
export const INCENTIVE_PARAMETERS: readonly ParameterName[] = ['coupon_code', 'coupon_value'];

/**
 * Which parameters each lane's facts can fill: a step may use only these (validated on PUT), so a
 * step never names a value its lane has no way to know.
 */
export const LANE_PARAMETERS: Record<LaneName, readonly ParameterName[]> = {
  abandoned_cart: [
    'first_name',
    'item_count',
    'first_item_name',
    'cart_total',
    'store_name',
    'first_item_image',
    'link_code',
    'coupon_code',
    'coupon_value',
  ],
  browse_abandonment: [
    'first_name',
    'store_name',
    'product_name',
    'product_price',
    'product_image',
    'link_code',
    'coupon_code',
    'coupon_value',
  ],
  payment_recovery: ['first_name', 'store_name', 'order_number', 'order_total', 'pay_link'],
  winback: [
    'first_name',
    'store_name',
    'product_name',
    'product_names',
    'product_price',
    'product_image',
    'link_code',
    'coupon_code',
    'coupon_value',
  ],
};

/** The quick-reply payload that opts a contact out (the inbound webhook handler treats it as STOP). */
export const OPT_OUT_PAYLOAD = 'STOP';
/** The quick-reply payload of payment recovery's offer of help from a person. */
export const HELP_PAYLOAD = 'HELP';

/**
 * A template button's dynamic part. A button's `index` on the wire is its position in
 * `ParameterMapping.buttons`, which must therefore follow the approved template's button order.
 */
export type ButtonMapping = { type: 'url'; parameter: TextParameterName } | { type: 'quick_reply'; payload: string };

/** Which value fills each of a template's parameters. */
export interface ParameterMapping {
  /** The header's one parameter (an image for an image parameter, else text), or null for none. */
  header: HeaderParameterName | null;
  /** `{{1}}`, `{{2}}`, … of the body, in order. */
  body: BodyParameterName[];
  buttons: ButtonMapping[];
}

export interface LaneStep {
  /** ISO 8601 duration from the lane's anchor (for a cart: its last change; see `inactivity_delay`). */
  delay: string;
  /** The approved template's name. */
  template: string;
  /**
   * An approved template with the same body and buttons and no header, sent instead when the
   * step's header is an image and there is no image to put there. Only with an image header.
   */
  template_without_image?: string;
  /** The template's language code as Meta names it: `en`, `en_US`, `pt_BR`. */
  language: string;
  parameters: ParameterMapping;
  /**
   * A unique, single-use coupon made for this step's message (engine/incentive.ts,
   * recovery/step-coupon.ts). Not in the payment_recovery lane. Absent: no incentive.
   */
  incentive?: StepIncentive;
}

/** A step's incentive (issue 11, part 2). Money in minor units of the store's currency. */
export interface StepIncentive {
  type: 'percent' | 'fixed';
  /** percent: an integer 1–90; fixed: minor units > 0. */
  amount: number;
  /** The most the discount may ever be worth (minor units > 0; for fixed ≥ amount). */
  ceiling: number;
  /** ISO 8601 duration from the send until the coupon expires, PT1H … P30D (default P2D). */
  expires_after: string;
  /** The least the cart must come to for the coupon to apply (minor units), or null. */
  minimum_spend: number | null;
  /**
   * The approved template sent when the step goes without a coupon (budget spent, no store
   * access): the step's parameters without `coupon_code` and `coupon_value`.
   */
  template_without_incentive: string;
}

/**
 * Local times `HH:MM`, read in the contact's time zone when it is known, else the store's
 * (engine/contact-zone.ts); `start == end` means no quiet hours (quiet-hours.ts).
 */
export interface QuietHours {
  start: string;
  end: string;
}

/** At most `max` messages within any `window` (an ISO 8601 duration). */
export interface CapSetting {
  max: number;
  window: string;
}

export interface LaneSettings {
  enabled: boolean;
  /** The templates' category; fixed per lane (it decides which consent is needed). */
  category: TemplateCategory;
  /** How long after the lane's trigger the journey starts (ISO 8601 duration). */
  inactivity_delay: string;
  /** 1–5 steps with strictly increasing delays, the first no earlier than `inactivity_delay`. */
  steps: LaneStep[];
  /** Share of enrollments put in the holdout cell, 0–50 (two decimals at most). */
  holdout_percent: number;
  quiet_hours: QuietHours;
  /** Marketing messages (of any lane) to one contact; only applies to marketing lanes. */
  cap_per_contact: CapSetting;
  /** Messages of this lane to one contact, across its subjects; null for no such cap. */
  lane_cap: CapSetting | null;
  /**
   * `browse_abandonment`: at most one journey per product per contact within this duration
   * (default P7D). `winback`: at most one journey per contact within it (default P30D). Not in
   * the other lanes.
   */
  repeat_after?: string;
  /** `winback` only: a contact lapses when its last paid order is this old, with nothing since (default P60D). */
  lapse_after?: string;
  /** `winback` only: how many products a message offers, 1–3 (default 3). */
  max_products?: number;
}
