import { __ } from '@wordpress/i18n';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Summary } from './api';
import { currencyDigits, major, money, moneyShort } from './format';

/** Revenue over time: recovered and influenced, per period, stacked bars in the store's currency. */
export function RevenueChart({ summary }: { summary: Summary }) {
  const { currency } = summary;
  const rows = summary.revenue_over_time.map((p) => ({
    period: p.period,
    recovered: major(p.recovered_revenue, currency),
    influenced: major(p.influenced_revenue, currency),
  }));
  const empty = rows.every((r) => r.recovered === 0 && r.influenced === 0);
  const recovered = __('Recovered', 'cartback');
  const influenced = __('Influenced', 'cartback');
  return (
    <section className="cartback-panel" id="cartback-revenue">
      <h2>{__('Revenue over time', 'cartback')}</h2>
      {empty ? (
        <p className="cartback-empty">{__('No attributed orders in this range yet.', 'cartback')}</p>
      ) : (
        <div className="cartback-chart" role="img" aria-label={__('Revenue over time', 'cartback')}>
          <ResponsiveContainer width="100%" height={260}>
            <BarChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="period" tick={{ fontSize: 12 }} />
              <YAxis tickFormatter={(v: number) => moneyShort(v, currency)} tick={{ fontSize: 12 }} width={72} />
              <Tooltip
                formatter={(value: unknown) =>
                  money(Math.round(Number(value) * 10 ** currencyDigits(currency)), currency)
                }
              />
              <Legend />
              <Bar dataKey="recovered" name={recovered} stackId="revenue" fill="#2271b1" isAnimationActive={false} />
              <Bar dataKey="influenced" name={influenced} stackId="revenue" fill="#72aee6" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
    </section>
  );
}
