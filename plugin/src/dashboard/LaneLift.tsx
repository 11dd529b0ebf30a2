import { __, sprintf } from '@wordpress/i18n';
import type { LaneLift as Lift } from './api';
import { count, locale, money, percent } from './format';

const points = (fraction: number) =>
  `${fraction >= 0 ? '+' : ''}${new Intl.NumberFormat(locale(), { maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(fraction * 100)}`;

/**
 * A lane's lift against its holdout: each cell's journeys and conversion rate, the difference with
 * its 95% interval, the incremental revenue, and the verdict in words (the sidecar's).
 */
export function LaneLift({ lift, currency }: { lift: Lift | null; currency: string }) {
  if (!lift) {
    return (
      <div className="cartback-lift">
        <h3>{__('Lift', 'cartback')}</h3>
        <p className="cartback-empty">{__('No holdout to compare with yet.', 'cartback')}</p>
      </div>
    );
  }
  const c = lift.conversion;
  return (
    <div className="cartback-lift" data-verdict={lift.verdict.kind}>
      <h3>{__('Lift', 'cartback')}</h3>
      <p className="cartback-verdict">{lift.verdict.text}</p>
      {lift.verdict.revenue_text && <p className="cartback-verdict-revenue">{lift.verdict.revenue_text}</p>}
      <table className="widefat striped cartback-lift-table">
        <thead>
          <tr>
            <th>{__('Group', 'cartback')}</th>
            <th>{__('Journeys', 'cartback')}</th>
            <th>{__('Converted', 'cartback')}</th>
            <th>{__('Conversion rate', 'cartback')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>{__('With messages', 'cartback')}</td>
            <td>{count(lift.treated.enrolled)}</td>
            <td>{count(lift.treated.converted)}</td>
            <td>{percent(lift.treated.conversion_rate)}</td>
          </tr>
          <tr>
            <td>{__('Holdout (no messages)', 'cartback')}</td>
            <td>{count(lift.holdout.enrolled)}</td>
            <td>{count(lift.holdout.converted)}</td>
            <td>{percent(lift.holdout.conversion_rate)}</td>
          </tr>
        </tbody>
      </table>
      {c && (
        <p className="cartback-lift-interval">
          {sprintf(
            /* translators: 1: difference in percentage points, 2: lowest, 3: highest. */
            __('Difference: %1$s points (95%% interval %2$s to %3$s)', 'cartback'),
            points(c.estimate),
            points(c.low),
            points(c.high),
          )}
        </p>
      )}
      {lift.incremental_revenue && (
        <p className="cartback-lift-revenue">
          {sprintf(
            /* translators: 1: an amount, 2: lowest, 3: highest. */
            __('Incremental revenue: %1$s (95%% interval %2$s to %3$s)', 'cartback'),
            money(lift.incremental_revenue.estimate, currency),
            money(lift.incremental_revenue.low, currency),
            money(lift.incremental_revenue.high, currency),
          )}
        </p>
      )}
    </div>
  );
}
