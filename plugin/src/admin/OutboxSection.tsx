import { Button, Card, CardBody, CardHeader, Notice } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, _n, sprintf } from '@wordpress/i18n';
import { deliverNow, problemOf, type DeliveryRun, type SettingsReply } from './api';

function when(seconds: number): string {
  return seconds > 0 ? new Date(seconds * 1000).toLocaleString() : __('never', 'cartback');
}

/** What is waiting to reach the sidecar, and how the last deliveries went. */
export function OutboxSection({
  settings,
  connected,
  refreshing,
  onRefresh,
  onDelivered,
}: {
  settings: SettingsReply;
  connected: boolean;
  refreshing: boolean;
  onRefresh: () => void;
  onDelivered: (run: DeliveryRun) => void;
}) {
  const { outbox, delivery } = settings;
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const send = () => {
    setSending(true);
    setResult(null);
    deliverNow()
      .then(
        (run) => {
          onDelivered(run);
          setResult(
            run.error === ''
              ? {
                  ok: true,
                  text: sprintf(
                    /* translators: %d: number of events delivered. */
                    _n('Delivered %d event.', 'Delivered %d events.', run.sent, 'cartback'),
                    run.sent,
                  ),
                }
              : { ok: false, text: run.error },
          );
        },
        (thrown: unknown) => setResult({ ok: false, text: problemOf(thrown).message }),
      )
      .finally(() => setSending(false));
  };

  return (
    <Card className="cartback-section" id="cartback-outbox">
      <CardHeader>
        <h2>{__('Outbox', 'cartback')}</h2>
        <Button __next40pxDefaultSize variant="tertiary" onClick={onRefresh} isBusy={refreshing} disabled={refreshing}>
          {__('Refresh', 'cartback')}
        </Button>
      </CardHeader>
      <CardBody>
        <p className="cartback-intro">
          {__(
            'Store events wait here until the sidecar acknowledges them; a background job sends them every minute.',
            'cartback',
          )}
        </p>
        <dl className="cartback-stats">
          <div>
            <dt>{__('Pending', 'cartback')}</dt>
            <dd data-stat="pending">{outbox.pending}</dd>
          </div>
          <div>
            <dt>{__('Delivered', 'cartback')}</dt>
            <dd data-stat="delivered">{outbox.delivered}</dd>
          </div>
          <div>
            <dt>{__('Rejected', 'cartback')}</dt>
            <dd data-stat="rejected">{outbox.rejected}</dd>
          </div>
        </dl>
        <dl className="cartback-facts">
          <dt>{__('Last delivery', 'cartback')}</dt>
          <dd data-stat="last-delivery">{when(delivery.last_success_at)}</dd>
          <dt>{__('Last error', 'cartback')}</dt>
          <dd data-stat="last-error">{delivery.last_error || __('none', 'cartback')}</dd>
          {delivery.failures > 0 && (
            <>
              <dt>{__('Retrying', 'cartback')}</dt>
              <dd>
                {sprintf(
                  /* translators: 1: number of failed attempts, 2: date and time of the next attempt. */
                  __('%1$d failed attempts in a row; next try %2$s', 'cartback'),
                  delivery.failures,
                  when(delivery.retry_at),
                )}
              </dd>
            </>
          )}
        </dl>
        <Button
          __next40pxDefaultSize
          variant="secondary"
          onClick={send}
          isBusy={sending}
          disabled={sending || !connected || outbox.pending === 0}
        >
          {__('Send now', 'cartback')}
        </Button>
        {result && (
          <Notice status={result.ok ? 'success' : 'error'} isDismissible={false} className="cartback-outbox-result">
            {result.text}
          </Notice>
        )}
      </CardBody>
    </Card>
  );
}
