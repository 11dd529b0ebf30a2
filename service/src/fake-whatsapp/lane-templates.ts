import type { TemplateDefinition } from '../whatsapp/types';

/**
 * The default templates of the lanes beside abandoned_cart (engine/lane-defaults.ts), as the fake
 * registers them, approved, and as the README ("Default templates") lists them for an admin to
 * create in WhatsApp Manager. Each BODY's `{{n}}` are the step's `parameters.body` in order; a
 * URL button's `{{1}}` is the tracked link's code on the sidecar's `/r/` prefix.
 *
 * - `browse_reminder_1` (image header: the product) and `browse_reminder_1_text`, marketing: first
 *   name, product name, its live price; "Add to cart" puts it in the cart and opens the checkout.
 * - `payment_reminder_1` and `payment_help_1`, utility: about the shopper's own order only — no
 *   promotion, no discount; the link opens the order's own pay page.
 * - `winback_1` (image header: the first product) and `winback_1_text`, marketing: first name,
 *   store name, the products' names; the link opens a cart with them.
 */

type Components = TemplateDefinition['components'];
type Button = Extract<Components[number], { type: 'BUTTONS' }>['buttons'][number];

const LINK_PREFIX = 'https://cartback.example/r/{{1}}';
const link = (text: string): Button => ({ type: 'URL', text, url: LINK_PREFIX });
const STOP: Button = { type: 'QUICK_REPLY', text: 'Stop promotions' };

export const BROWSE_REMINDER_BODY =
  'Hi {{1}}, still thinking about {{2}}? It is {{3}} in our shop right now. Tap below to add it to your cart and go straight to checkout.';
export const PAYMENT_REMINDER_BODY =
  'Hi {{1}}, the payment for your order {{2}} ({{3}}) has not come through, so the order is not complete yet. You can pay for it securely with the button below.';
export const PAYMENT_HELP_BODY =
  'Hi {{1}}, your order {{2}} is still waiting for payment. If something went wrong when paying, tap "Get help" and a person from our team will reply here. You can also pay with the button below.';
export const WINBACK_BODY =
  'Hi {{1}}, it has been a while since your last order at {{2}}. We picked a few things you might like: {{3}}. Tap below to see them in your cart.';

function template(
  id: string,
  name: string,
  category: TemplateDefinition['category'],
  image: boolean,
  body: string,
  buttons: Button[],
): TemplateDefinition {
  return {
    id,
    name,
    language: 'en',
    status: 'APPROVED',
    category,
    components: [
      ...(image ? [{ type: 'HEADER' as const, format: 'IMAGE' as const }] : []),
      { type: 'BODY', text: body },
      { type: 'BUTTONS', buttons },
    ],
  };
}

export const LANE_TEMPLATES: readonly TemplateDefinition[] = [
  template('1000000000000201', 'browse_reminder_1', 'MARKETING', true, BROWSE_REMINDER_BODY, [
    link('Add to cart'),
    STOP,
  ]),
  template('1000000000000211', 'browse_reminder_1_text', 'MARKETING', false, BROWSE_REMINDER_BODY, [
    link('Add to cart'),
    STOP,
  ]),
  template('1000000000000301', 'payment_reminder_1', 'UTILITY', false, PAYMENT_REMINDER_BODY, [
    link('Complete payment'),
  ]),
  template('1000000000000302', 'payment_help_1', 'UTILITY', false, PAYMENT_HELP_BODY, [
    link('Pay for order'),
    { type: 'QUICK_REPLY', text: 'Get help' },
  ]),
  template('1000000000000401', 'winback_1', 'MARKETING', true, WINBACK_BODY, [link('See my picks'), STOP]),
  template('1000000000000411', 'winback_1_text', 'MARKETING', false, WINBACK_BODY, [link('See my picks'), STOP]),
];
