import { __ } from '@wordpress/i18n';
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Figures } from './api';
import { count } from './format';

/** The funnel's steps, in order: journeys enrolled (treated) down to orders. */
export function funnelSteps(f: Figures): { id: string; label: string; value: number }[] {
  return [
    { id: 'enrolled', label: __('Enrolled', 'cartback'), value: f.enrolled_treated },
    { id: 'sent', label: __('Sent', 'cartback'), value: f.sent },
    { id: 'delivered', label: __('Delivered', 'cartback'), value: f.delivered },
    { id: 'read', label: __('Read', 'cartback'), value: f.read },
    { id: 'clicked', label: __('Clicked', 'cartback'), value: f.unique_clicks },
    { id: 'converted', label: __('Converted', 'cartback'), value: f.conversions },
  ];
}

/** One lane's funnel as a horizontal bar chart, with the counts also written out. */
export function LaneFunnel({ lane, figures }: { lane: string; figures: Figures }) {
  const steps = funnelSteps(figures);
  return (
    <div className="cartback-funnel" data-lane={lane}>
      <h3>{__('Funnel', 'cartback')}</h3>
      <div className="cartback-chart" role="img" aria-label={__('Funnel', 'cartback')}>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={steps} layout="vertical" margin={{ top: 4, right: 48, bottom: 4, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} />
            <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
            <YAxis type="category" dataKey="label" width={90} tick={{ fontSize: 12 }} />
            <Tooltip formatter={(value: unknown) => count(Number(value))} />
            <Bar dataKey="value" name={__('Count', 'cartback')} fill="#2271b1" isAnimationActive={false}>
              <LabelList dataKey="value" position="right" formatter={(value: unknown) => count(Number(value))} />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
      <dl className="cartback-funnel-counts">
        {steps.map((s) => (
          <div key={s.id} data-step={s.id}>
            <dt>{s.label}</dt>
            <dd>{count(s.value)}</dd>
          </div>
        ))}
        <div data-step="failed">
          <dt>{__('Failed', 'cartback')}</dt>
          <dd>{count(figures.failed)}</dd>
        </div>
        <div data-step="opt_outs">
          <dt>{__('Opted out', 'cartback')}</dt>
          <dd>{count(figures.opt_outs)}</dd>
        </div>
      </dl>
    </div>
  );
}
