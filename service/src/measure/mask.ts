/**
 * A phone as the dashboard's message list shows it: the calling code's first digits and the last
 * two, the rest hidden ("+91••••••••78"), so a list on a shared screen names no one.
 */
export function maskPhone(phone: string): string {
  if (phone.length <= 5) return '•'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'•'.repeat(phone.length - 5)}${phone.slice(-2)}`;
}
