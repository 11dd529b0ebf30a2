import { Notice } from '@wordpress/components';
import { __, _n, sprintf } from '@wordpress/i18n';
import type { MessageCounts } from './api';

/** The reconcile window in words: whole hours when it is, else minutes. */
function windowText(seconds: number): string {
  if (seconds % 3600 === 0) {
    const hours = seconds / 3600;
    /* translators: %d: number of hours. */
    return sprintf(_n('%d hour', '%d hours', hours, 'cartback'), hours);
  }
  const minutes = Math.round(seconds / 60);
  /* translators: %d: number of minutes. */
  return sprintf(_n('%d minute', '%d minutes', minutes, 'cartback'), minutes);
}

/**
 * Messages the sidecar could not confirm, from its status: those lost before reaching WhatsApp
 * (no status within the reconcile window; never resent), and those still waiting for WhatsApp to
 * confirm them. Nothing when there are none, or when the sidecar does not report them.
 */
export function MessageHealth({ messages }: { messages: MessageCounts | undefined }) {
  if (!messages || (messages.lost === 0 && messages.unknown === 0)) return null;
  const within = windowText(messages.reconcile_window_seconds);
  return (
    <div className="cartback-message-health" id="cartback-message-health">
      {messages.lost > 0 && (
        <Notice status="warning" isDismissible={false}>
          <span data-stat="lost">
            {sprintf(
              /* translators: 1: number of messages, 2: how long Cartback waited, such as "36 hours". */
              _n(
                '%1$d message was lost before reaching WhatsApp and will not be resent: WhatsApp never confirmed it within %2$s.',
                '%1$d messages were lost before reaching WhatsApp and will not be resent: WhatsApp never confirmed them within %2$s.',
                messages.lost,
                'cartback',
              ),
              messages.lost,
              within,
            )}
          </span>
        </Notice>
      )}
      {messages.unknown > 0 && (
        <Notice status="info" isDismissible={false}>
          <span data-stat="unknown">
            {sprintf(
              /* translators: 1: number of messages, 2: how long Cartback waits, such as "36 hours". */
              _n(
                '%1$d message is waiting for WhatsApp to confirm it arrived. It is never sent twice; without a confirmation within %2$s it counts as lost.',
                '%1$d messages are waiting for WhatsApp to confirm they arrived. They are never sent twice; without a confirmation within %2$s they count as lost.',
                messages.unknown,
                'cartback',
              ),
              messages.unknown,
              within,
            )}
          </span>
        </Notice>
      )}
    </div>
  );
}
