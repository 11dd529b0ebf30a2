import { __, sprintf } from '@wordpress/i18n';
import type { Summary } from './api';
import { laneName, money, percent } from './format';
import { LaneFunnel } from './LaneFunnel';
import { LaneLift } from './LaneLift';

/** A panel per lane that had journeys or messages in the range: its revenue, funnel and lift. */
export function LanesSection({ summary }: { summary: Summary }) {
  const { currency } = summary;
  return (
    <section className="cartback-panel" id="cartback-lanes">
      <h2>{__('Lanes', 'cartback')}</h2>
      {summary.lanes.length === 0 && (
        <p className="cartback-empty">{__('No journeys in this range yet.', 'cartback')}</p>
      )}
      {summary.lanes.map((l) => (
        <div key={l.lane} className="cartback-lane" data-lane={l.lane}>
          <h3 className="cartback-lane-name">{laneName(l.lane)}</h3>
          <p className="cartback-lane-figures">
            {sprintf(
              /* translators: 1: recovered revenue, 2: influenced revenue, 3: opt-out rate. */
              __('Recovered %1$s · Influenced %2$s · Opt-out rate %3$s', 'cartback'),
              money(l.figures.recovered_revenue, currency),
              money(l.figures.influenced_revenue, currency),
              percent(l.opt_out_rate),
            )}
          </p>
          <div className="cartback-lane-body">
            <LaneFunnel lane={l.lane} figures={l.figures} />
            <LaneLift lift={l.lift} currency={currency} />
          </div>
        </div>
      ))}
    </section>
  );
}
