/** A `cart_reminder_1` send as Meta expects it and the sidecar's renderer fills it. */
export const text = (value: string) => ({ type: 'text', text: value });
export const price = { type: 'currency', currency: { fallback_value: '₹1,299.00', code: 'INR', amount_1000: 1299000 } };

/** A cart_reminder_1 send as the sidecar's renderer fills it; `body` replaces the body values. */
export function cartReminder(options: { name?: string; body?: unknown[]; callback?: string; to?: string } = {}) {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: options.to ?? '+919812345678',
    type: 'template',
    ...(options.callback !== undefined ? { biz_opaque_callback_data: options.callback } : {}),
    template: {
      name: options.name ?? 'cart_reminder_1',
      language: { code: 'en' },
      components: [
        { type: 'header', parameters: [{ type: 'image', image: { link: 'https://shop.example/p.jpg' } }] },
        { type: 'body', parameters: options.body ?? [text('Anna'), text('2'), text('Blue Mug'), price] },
        { type: 'button', sub_type: 'url', index: '0', parameters: [text('Ab3kQ9')] },
        { type: 'button', sub_type: 'quick_reply', index: '1', parameters: [{ type: 'payload', payload: 'STOP' }] },
      ],
    },
  };
}
