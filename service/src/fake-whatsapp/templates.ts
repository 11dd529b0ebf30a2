import type { TemplateDefinition } from '../whatsapp/types';
import { LANE_TEMPLATES } from './lane-templates';

/** The default cart reminders' bodies (README, "Default templates"), step 1 to 3. */
export const CART_REMINDER_BODIES: readonly string[] = [
  'Hi {{1}}, your cart with {{2}} item(s), including {{3}}, is waiting: {{4}}. Tap below to pick up where you left off.',
  '{{1}}, still thinking it over? Your {{2}} item(s), including {{3}}, are saved for you: {{4}}. Tap below to finish your order.',
  'Last call, {{1}}: your cart with {{2}} item(s), including {{3}} ({{4}}), will not be kept much longer. Tap below to complete your order.',
];

/**
 * The second cart reminder with a coupon (issue 11, part 2; README, "Default templates"): not in
 * any default lane, for tests and the demo. Its body's parameters: first_name, coupon_value,
 * coupon_code, item_count, first_item_name, cart_total; without the two coupon parameters it is
 * `cart_reminder_2_text`'s, its natural `template_without_incentive`.
 */
export const CART_REMINDER_COUPON_BODY =
  '{{1}}, still thinking it over? Here is {{2}} your order with the code {{3}}, for one order and a short time only. Your {{4}} item(s), including {{5}}, are saved for you: {{6}}. Tap below to finish your order with the code applied.';

/**
 * The templates the fake WhatsApp Cloud API (a test double) starts with: the ones the lanes use
 * by default, all approved — `cart_reminder_1` … `_3` with an image header, and
 * `cart_reminder_1_text` … `_3_text`, the same without a header, for carts without an image. The
 * sidecar's renderer fills each BODY in this order: first name, number of items, the first item's
 * name, the cart total; the URL button takes the short link code. Then the other lanes' defaults
 * (lane-templates.ts): browse, payment recovery, win-back; and `cart_reminder_2_coupon`
 * (CART_REMINDER_COUPON_BODY, text only), which carries a step's coupon.
 */
export const DEFAULT_TEMPLATES: readonly TemplateDefinition[] = [
  ...CART_REMINDER_BODIES.map((body, i) => cartReminder(i + 1, body, true)),
  ...CART_REMINDER_BODIES.map((body, i) => cartReminder(i + 1, body, false)),
  ...LANE_TEMPLATES,
  {
    ...cartReminder(2, CART_REMINDER_COUPON_BODY, false),
    id: '1000000000000202',
    name: 'cart_reminder_2_coupon',
  },
];

function cartReminder(step: number, body: string, image: boolean): TemplateDefinition {
  return {
    id: image ? `100000000000000${step}` : `100000000000010${step}`,
    name: image ? `cart_reminder_${step}` : `cart_reminder_${step}_text`,
    language: 'en',
    status: 'APPROVED',
    category: 'MARKETING',
    components: [
      ...(image ? [{ type: 'HEADER' as const, format: 'IMAGE' as const }] : []),
      { type: 'BODY', text: body },
      {
        type: 'BUTTONS',
        buttons: [
          { type: 'URL', text: 'View cart', url: 'https://cartback.example/r/{{1}}' },
          { type: 'QUICK_REPLY', text: 'Stop promotions' },
        ],
      },
    ],
  };
}

/** A template to register: name and components; the rest defaults (approved marketing, "en"). */
export type TemplateInput = Pick<TemplateDefinition, 'name' | 'components'> &
  Partial<Pick<TemplateDefinition, 'id' | 'language' | 'status' | 'category'>>;

/**
 * The registered templates: the defaults (unless `replaceDefaults`), then `extra`, where an
 * extra template with the name and language of an earlier one replaces it (to pause one, say).
 */
export function registerTemplates(extra: readonly TemplateInput[] = [], replaceDefaults = false): TemplateDefinition[] {
  const list: TemplateDefinition[] = replaceDefaults ? [] : DEFAULT_TEMPLATES.map((t) => structuredClone(t));
  for (const input of extra) upsertTemplate(list, input);
  return list;
}

/** Adds a template or replaces the one with its name and language (keeping that one's id). */
export function upsertTemplate(list: TemplateDefinition[], input: TemplateInput): TemplateDefinition {
  const language = input.language ?? 'en';
  const at = list.findIndex((t) => t.name === input.name && t.language === language);
  const template: TemplateDefinition = {
    id: input.id ?? list[at]?.id ?? String(2_000_000_000_000_000 + list.length + 1),
    name: input.name,
    language,
    status: input.status ?? 'APPROVED',
    category: input.category ?? 'MARKETING',
    components: structuredClone(input.components),
  };
  if (at >= 0) list[at] = template;
  else list.push(template);
  return template;
}

const PLACEHOLDER = /\{\{(\d+)\}\}/g;

/** How many distinct `{{n}}` placeholders a template text holds (the parameters it expects). */
export function placeholderCount(text: string | undefined): number {
  if (!text) return 0;
  return new Set(Array.from(text.matchAll(PLACEHOLDER), (m) => m[1])).size;
}

/** The text with `{{n}}` replaced by `values[n - 1]` (a placeholder without a value stays). */
export function substitute(text: string, values: readonly string[]): string {
  return text.replace(PLACEHOLDER, (whole, n: string) => values[Number(n) - 1] ?? whole);
}
