import { __ } from '@wordpress/i18n';

/**
 * What went wrong with a call, in words: the sidecar's `{error: {code, message, path}}` passed
 * through by the proxy, WordPress's `{code, message}`, or a network failure.
 */
export function problemText(thrown: unknown): string {
  const fallback = __('The request failed. Check that you are still logged in, then try again.', 'cartback');
  if (typeof thrown !== 'object' || thrown === null) return fallback;
  const record = thrown as { error?: unknown; message?: unknown };
  if (typeof record.error === 'object' && record.error !== null) {
    const message = (record.error as { message?: unknown }).message;
    if (typeof message === 'string' && message !== '') return message;
  }
  return typeof record.message === 'string' && record.message !== '' ? record.message : fallback;
}
