import type { System } from './system';

/** What the demo prints, and how it waits: a phone's screen in a box, numbered scenes. */

export const say = (text = '') => process.stdout.write(`${text}\n`);
export const scene = (n: number, text: string) => say(`\n${n}. ${text}`);
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns something truthy; throws naming `what` after `timeoutMs`. */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(200);
  }
}

export interface PhoneMessage {
  to: string;
  type: string;
  header?: string | null;
  body?: string;
  buttons?: Array<{ type: string; text: string; url?: string }>;
  template?: { name: string; category?: string } | null;
}

/** One message as the shopper's phone shows it. */
export function printPhone(m: PhoneMessage): void {
  const width = 58;
  const line = (text: string) => say(`   │ ${text.padEnd(width)} │`);
  say(`   ┌${'─'.repeat(width + 2)}┐`);
  line(`WhatsApp · to ${m.to}${m.template ? ` · ${m.template.name}` : ''}`.slice(0, width));
  line('');
  if (m.header) line(`[image] ${m.header}`.slice(0, width));
  let current = '';
  for (const word of (m.body ?? '').split(' ')) {
    if ((current + ' ' + word).trim().length > width) {
      line(current.trim());
      current = '';
    }
    current += ` ${word}`;
  }
  if (current.trim()) line(current.trim());
  for (const button of m.buttons ?? [])
    line(`[ ${button.text} ]${button.url ? `  → ${button.url}` : ''}`.slice(0, width));
  say(`   └${'─'.repeat(width + 2)}┘`);
}

/** The messages the fake WhatsApp has delivered to `phone`, oldest first. */
export async function phoneMessages(system: System, phone: string): Promise<PhoneMessage[]> {
  return ((await system.sandbox('messages')) as { messages: PhoneMessage[] }).messages.filter((m) => m.to === phone);
}

/** Waits for the `n`-th (1-based) message to `phone` and returns it. */
export async function nthMessage(system: System, phone: string, n: number, timeoutMs = 30_000): Promise<PhoneMessage> {
  const list = await until(
    `message ${n} to the shopper`,
    async () => {
      const messages = await phoneMessages(system, phone);
      return messages.length >= n && messages;
    },
    timeoutMs,
  );
  return list[n - 1] as PhoneMessage;
}

/** The link code in a message's URL button (`…/r/CODE`). */
export function linkCode(m: PhoneMessage): string {
  return m.buttons?.find((b) => b.url)?.url?.split('/r/')[1] ?? '';
}
