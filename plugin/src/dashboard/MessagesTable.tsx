import { Button, Notice, Spinner } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { getMessages, type LatestMessage, type MessagesPage } from './api';
import { laneName, when } from './format';
import { problemText } from './problem';

/** A message's status in words, with the time it reached it. */
function status(m: LatestMessage, timeZone: string): string {
  const names: Record<string, string> = {
    queued: __('Queued', 'cartback'),
    submitting: __('Sending', 'cartback'),
    submitted: __('Sent to WhatsApp', 'cartback'),
    sent: __('Sent', 'cartback'),
    delivered: __('Delivered', 'cartback'),
    read: __('Read', 'cartback'),
    failed: __('Failed', 'cartback'),
    skipped: __('Skipped', 'cartback'),
    held_out: __('Held out', 'cartback'),
    unknown: __('Waiting for WhatsApp', 'cartback'),
    lost: __('Lost', 'cartback'),
  };
  const at = m.failed_at ?? m.read_at ?? m.delivered_at ?? m.sent_at;
  const name = names[m.state] ?? m.state;
  return at ? `${name} · ${when(at, timeZone)}` : name;
}

/** The newest messages and their statuses, 20 a page, older pages by the sidecar's cursor. */
export function MessagesTable({ timeZone }: { timeZone: string }) {
  // The cursors of the pages seen: [null] is the newest page.
  const [cursors, setCursors] = useState<(number | null)[]>([null]);
  const [page, setPage] = useState<MessagesPage | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1] ?? null;

  useEffect(() => {
    let live = true;
    setPage(null);
    getMessages(cursor).then(
      (reply) => {
        if (!live) return;
        setPage(reply);
        setProblem(null);
      },
      (thrown: unknown) => live && setProblem(problemText(thrown)),
    );
    return () => {
      live = false;
    };
  }, [cursor]);

  return (
    <section className="cartback-panel" id="cartback-messages">
      <h2>{__('Latest messages', 'cartback')}</h2>
      {problem && (
        <Notice status="error" isDismissible={false}>
          {problem}
        </Notice>
      )}
      {!page && !problem && <Spinner />}
      {page && page.messages.length === 0 && <p className="cartback-empty">{__('No messages yet.', 'cartback')}</p>}
      {page && page.messages.length > 0 && (
        <table className="widefat striped cartback-messages-table">
          <thead>
            <tr>
              <th>{__('Queued', 'cartback')}</th>
              <th>{__('Lane', 'cartback')}</th>
              <th>{__('Step', 'cartback')}</th>
              <th>{__('Template', 'cartback')}</th>
              <th>{__('Phone', 'cartback')}</th>
              <th>{__('Status', 'cartback')}</th>
              <th>{__('Clicked', 'cartback')}</th>
            </tr>
          </thead>
          <tbody>
            {page.messages.map((m) => (
              <tr key={m.id} data-message={m.id} data-state={m.state}>
                <td>{when(m.created_at, timeZone)}</td>
                <td>{laneName(m.lane)}</td>
                <td>{m.step + 1}</td>
                <td>{m.template ?? '—'}</td>
                <td>{m.phone}</td>
                <td>
                  {status(m, timeZone)}
                  {m.error_code && <span className="cartback-error-code"> ({m.error_code})</span>}
                </td>
                <td>{m.clicked ? __('Yes', 'cartback') : __('No', 'cartback')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="cartback-pager">
        <Button
          variant="secondary"
          disabled={cursors.length === 1}
          onClick={() => setCursors((all) => all.slice(0, -1))}
        >
          {__('Newer', 'cartback')}
        </Button>
        <Button
          variant="secondary"
          disabled={!page || page.next_before === null}
          onClick={() => page?.next_before && setCursors((all) => [...all, page.next_before])}
        >
          {__('Older', 'cartback')}
        </Button>
      </div>
    </section>
  );
}
