/**
 * What an erasure did → the reply of a WordPress personal-data eraser
 * (`wp_privacy_personal_data_erasers`): whether personal data was removed, whether any was
 * retained, and messages for the store admin. Pure.
 *
 * Rows kept for reporting with their personal data stripped count as removed, not retained
 * (WooCommerce's own eraser reports an anonymised order the same way): `items_retained` would
 * mean personal data still held, and erasure leaves none.
 */
export interface ErasureCounts {
  contacts: number;
  consents: number;
  carts: number;
  productViews: number;
  nudges: number;
  /** Tracked links, clicks and restore tokens deleted. */
  links: number;
  /** Store events whose logged payload was blanked. */
  events: number;
  /** Orders kept, stripped of personal data. */
  orders: number;
  /** Message records kept, stripped of the phone number and content. */
  messages: number;
  journeysStopped: number;
  messagesCancelled: number;
}

export interface EraseReply {
  items_removed: boolean;
  items_retained: boolean;
  messages: string[];
}

export const NOTHING_FOUND = 'Cartback holds no personal data for this email address or phone number.';

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function list(parts: string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

export function eraseReport(c: ErasureCounts): EraseReply {
  const deleted = [
    c.contacts && count(c.contacts, 'contact'),
    c.consents && count(c.consents, 'consent record'),
    c.carts && count(c.carts, 'cart'),
    c.productViews && count(c.productViews, 'product view'),
    c.nudges && count(c.nudges, 'email or SMS reminder record'),
    c.links && count(c.links, 'tracked link or restore token', 'tracked links and restore tokens'),
    c.events && count(c.events, 'logged store event'),
  ].filter((part): part is string => typeof part === 'string');
  const messages: string[] = [];
  if (deleted.length > 0) messages.push(`Cartback erased ${list(deleted)}.`);
  if (c.journeysStopped > 0 || c.messagesCancelled > 0) {
    messages.push(
      `Cartback stopped ${count(c.journeysStopped, 'WhatsApp journey')} and cancelled ` +
        `${count(c.messagesCancelled, 'queued message')}; nothing more will be sent without fresh consent.`,
    );
  }
  if (c.orders > 0)
    messages.push(`Cartback kept ${count(c.orders, 'order')} without personal data for revenue reporting.`);
  if (c.messages > 0) {
    messages.push(
      `Cartback kept ${count(c.messages, 'WhatsApp message record')} without the phone number or content ` +
        'for delivery reporting.',
    );
  }
  const removed = messages.length > 0;
  return { items_removed: removed, items_retained: false, messages: removed ? messages : [NOTHING_FOUND] };
}
