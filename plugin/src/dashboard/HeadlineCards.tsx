import { __, sprintf } from '@wordpress/i18n';
import type { Summary } from './api';
import { money, percent, ratio } from './format';

function Card({ id, label, value, note }: { id: string; label: string; value: string; note?: string }) {
  return (
    <div className="cartback-card" data-card={id}>
      <div className="cartback-card-label">{label}</div>
      <div className="cartback-card-value">{value}</div>
      {note && <div className="cartback-card-note">{note}</div>}
    </div>
  );
}

/**
 * The headline cards: recovered revenue, incremental revenue with its 95% interval, return on cost,
 * opt-out rate, and the costs — message cost in USD while the rate card has no conversion rate for
 * the store's currency (no silent exchange rates).
 */
export function HeadlineCards({ summary }: { summary: Summary }) {
  const { headline: h, currency } = summary;
  const converted = h.message_cost !== null;
  const incremental = h.incremental_revenue;
  const messageCost = converted
    ? money(h.message_cost ?? 0, currency)
    : money(h.message_cost_usd, summary.cost_currency);
  return (
    <div className="cartback-cards">
      <Card
        id="recovered"
        label={__('Recovered revenue', 'cartback')}
        value={money(h.recovered_revenue, currency)}
        note={sprintf(
          /* translators: %s: an amount of money. */
          __('Influenced: %s', 'cartback'),
          money(h.influenced_revenue, currency),
        )}
      />
      <Card
        id="incremental"
        label={__('Incremental revenue', 'cartback')}
        value={incremental ? money(incremental.estimate, currency) : '—'}
        note={
          incremental
            ? sprintf(
                /* translators: 1: lowest amount, 2: highest amount. */
                __('95%% interval: %1$s to %2$s', 'cartback'),
                money(incremental.low, currency),
                money(incremental.high, currency),
              )
            : __('Not enough holdout data yet.', 'cartback')
        }
      />
      <Card
        id="return"
        label={__('Return on cost', 'cartback')}
        value={ratio(h.return_on_cost)}
        note={
          h.return_on_cost === null
            ? converted
              ? __('No costs yet.', 'cartback')
              : __('Needs the message cost in the store currency.', 'cartback')
            : sprintf(
                /* translators: %s: a ratio such as 2.5×. */
                __('Incremental: %s', 'cartback'),
                ratio(h.incremental_return_on_cost),
              )
        }
      />
      <Card id="opt-out" label={__('Opt-out rate', 'cartback')} value={percent(h.opt_out_rate)} />
      <Card
        id="costs"
        label={__('Costs', 'cartback')}
        value={sprintf(
          /* translators: 1: discount cost, 2: message cost. */
          __('Discounts %1$s · Messages %2$s', 'cartback'),
          money(h.incentive_cost, currency),
          messageCost,
        )}
        note={
          converted
            ? sprintf(
                /* translators: %s: an amount of money. */
                __('Net: %s', 'cartback'),
                money(h.net ?? 0, currency),
              )
            : sprintf(
                /* translators: 1: an amount of money in the store's currency, 2: the store's currency code. */
                __(
                  'Message cost is shown in USD: set a conversion rate for %2$s on the rate card to net it. Net before message cost: %1$s',
                  'cartback',
                ),
                money(h.net_before_message_cost, currency),
                currency,
              )
        }
      />
    </div>
  );
}
