import { __, sprintf } from '@wordpress/i18n';
import type { TimelineEntry as Entry } from './api';
import { laneName, money, when } from './format';

/** A kind of entry in words. */
function kindName(kind: Entry['kind']): string {
  const names: Record<Entry['kind'], string> = {
    consent: __('Consent', 'cartback'),
    enrolled: __('Journey began', 'cartback'),
    decision: __('Decision', 'cartback'),
    message: __('Message', 'cartback'),
    click: __('Click', 'cartback'),
    order: __('Order', 'cartback'),
  };
  return names[kind];
}

function Code({ children }: { children: string }) {
  return <code className="cartback-reason">{children}</code>;
}

/** What the entry says, by kind. */
function Detail({ entry, timeZone, currency }: { entry: Entry; timeZone: string; currency: string }) {
  switch (entry.kind) {
    case 'consent':
      return (
        <span>
          {sprintf(
            /* translators: 1: granted or withdrawn, 2: marketing or utility, 3: where, 4: the opt-in text's version. */
            __('%1$s (%2$s) at %3$s, opt-in text v%4$d', 'cartback'),
            entry.action,
            entry.scope,
            entry.source,
            entry.text_version,
          )}
        </span>
      );
    case 'enrolled':
      return (
        <span>
          {sprintf(
            /* translators: 1: lane, 2: treatment or holdout, 3: the journey's state. */
            __('%1$s, %2$s group, now %3$s', 'cartback'),
            laneName(entry.lane),
            entry.cell,
            entry.state,
          )}
          {entry.stop_reason && (
            <>
              {' · '}
              {__('stopped:', 'cartback')} <Code>{entry.stop_reason}</Code>
            </>
          )}
        </span>
      );
    case 'decision':
      return (
        <span>
          {laneName(entry.lane)}
          {entry.step !== null &&
            ` · ${sprintf(
              /* translators: %d: step number. */
              __('step %d', 'cartback'),
              entry.step + 1,
            )}`}
          {' · '}
          <strong className="cartback-decision">{entry.decision}</strong>
          {entry.reason && (
            <>
              {' · '}
              {__('reason:', 'cartback')} <Code>{entry.reason}</Code>
            </>
          )}
          {entry.detail && <span className="cartback-detail"> — {entry.detail}</span>}
        </span>
      );
    case 'message': {
      const reached = [
        entry.statuses.sent_at && `${__('sent', 'cartback')} ${when(entry.statuses.sent_at, timeZone)}`,
        entry.statuses.delivered_at && `${__('delivered', 'cartback')} ${when(entry.statuses.delivered_at, timeZone)}`,
        entry.statuses.read_at && `${__('read', 'cartback')} ${when(entry.statuses.read_at, timeZone)}`,
        entry.statuses.failed_at && `${__('failed', 'cartback')} ${when(entry.statuses.failed_at, timeZone)}`,
      ].filter(Boolean);
      return (
        <span>
          {laneName(entry.lane)} · {entry.template ?? '—'} ·{' '}
          <strong className="cartback-message-state">{entry.state}</strong>
          {reached.length > 0 && ` (${reached.join(', ')})`}
          {entry.error_code && (
            <>
              {' · '}
              <Code>{entry.error_code}</Code> {entry.error_message ?? ''}
            </>
          )}
        </span>
      );
    }
    case 'click':
      return (
        <span>
          {sprintf(
            /* translators: %d: how many times the link was opened. */
            __('Link opened %d time(s)', 'cartback'),
            entry.opens,
          )}
        </span>
      );
    case 'order':
      return (
        <span>
          #{entry.order_id} · {entry.status ?? '—'}
          {entry.total !== null && ` · ${money(entry.total, entry.currency ?? currency)}`}
          {entry.attribution &&
            ` · ${sprintf(
              /* translators: 1: recovered or influenced, 2: lane, 3: amount. */
              __('%1$s by %2$s (%3$s)', 'cartback'),
              entry.attribution.kind,
              laneName(entry.attribution.lane),
              money(entry.attribution.amount, entry.currency ?? currency),
            )}`}
        </span>
      );
  }
}

/** One row of a contact's timeline: when, what kind, what. */
export function TimelineEntry({ entry, timeZone, currency }: { entry: Entry; timeZone: string; currency: string }) {
  return (
    <li className="cartback-timeline-entry" data-kind={entry.kind}>
      <time dateTime={entry.at}>{when(entry.at, timeZone)}</time>
      <span className="cartback-timeline-kind">{kindName(entry.kind)}</span>
      <Detail entry={entry} timeZone={timeZone} currency={currency} />
    </li>
  );
}
