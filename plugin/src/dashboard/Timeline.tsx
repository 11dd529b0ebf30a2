import { Button, Notice, Spinner, TextControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { getTimeline, type TimelineContact } from './api';
import { problemText } from './problem';
import { TimelineEntry } from './TimelineEntry';

/**
 * A contact's timeline: search by phone (international form) or email; every consent, journey,
 * decision with its reason code, message with its status, click and order, oldest first.
 */
export function Timeline({ timeZone, currency }: { timeZone: string; currency: string }) {
  const [q, setQ] = useState('');
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<TimelineContact[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const search = (event: { preventDefault: () => void }) => {
    event.preventDefault();
    if (q.trim() === '') return;
    setBusy(true);
    getTimeline(q.trim())
      .then(
        (reply) => {
          setFound(reply.contacts);
          setProblem(null);
        },
        (thrown: unknown) => {
          setFound(null);
          setProblem(problemText(thrown));
        },
      )
      .finally(() => setBusy(false));
  };

  return (
    <section className="cartback-panel" id="cartback-timeline">
      <h2>{__('Contact timeline', 'cartback')}</h2>
      <form className="cartback-timeline-search" onSubmit={search}>
        <TextControl
          __next40pxDefaultSize
          __nextHasNoMarginBottom
          label={__('Phone (+4915123456789) or email', 'cartback')}
          value={q}
          onChange={(value: string) => setQ(value)}
        />
        <Button variant="secondary" type="submit" disabled={busy || q.trim() === ''}>
          {__('Search', 'cartback')}
        </Button>
        {busy && <Spinner />}
      </form>
      {problem && (
        <Notice status="error" isDismissible={false}>
          {problem}
        </Notice>
      )}
      {found && found.length === 0 && (
        <p className="cartback-empty">{__('No contact with that phone or email.', 'cartback')}</p>
      )}
      {found?.map((contact) => (
        <div key={contact.id} className="cartback-contact" data-contact={contact.id}>
          <h3>{[contact.first_name, contact.phone, contact.email].filter(Boolean).join(' · ')}</h3>
          {contact.timeline.length === 0 ? (
            <p className="cartback-empty">{__('Nothing recorded for this contact yet.', 'cartback')}</p>
          ) : (
            <>
              <p className="cartback-timeline-count">
                {sprintf(
                  /* translators: %d: number of entries. */
                  __('%d entries, oldest first', 'cartback'),
                  contact.timeline.length,
                )}
              </p>
              <ol className="cartback-timeline">
                {contact.timeline.map((entry, i) => (
                  <TimelineEntry key={i} entry={entry} timeZone={timeZone} currency={currency} />
                ))}
              </ol>
            </>
          )}
        </div>
      ))}
    </section>
  );
}
