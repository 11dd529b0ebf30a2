import { Button, Notice, SelectControl, Spinner } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { getSummary, type Period, type Range, type Summary } from './api';
import { ExportLinks, type ExportConfig } from './ExportLinks';
import { HeadlineCards } from './HeadlineCards';
import { LanesSection } from './LanesSection';
import { MessagesTable } from './MessagesTable';
import { problemText } from './problem';
import { RevenueChart } from './RevenueChart';
import { Timeline } from './Timeline';

const DAY_MS = 86_400_000;

/** The last `days` days up to now (to the minute), as the sidecar reads ranges. */
export function lastDays(days: number, now = Date.now()): Range {
  const to = new Date(Math.floor(now / 60_000) * 60_000);
  const from = new Date(to.getTime() - days * DAY_MS);
  const iso = (d: Date) => `${d.toISOString().slice(0, 16)}:00Z`;
  return { from: iso(from), to: iso(to) };
}

/**
 * WooCommerce → Cartback Dashboard: a range (last 7, 30 or 90 days) and a period, the headline
 * cards, revenue over time, a panel per lane (funnel and lift), CSV downloads, the latest messages
 * and a contact's timeline.
 */
export function Dashboard({ exports }: { exports: ExportConfig }) {
  const [days, setDays] = useState('30');
  const [period, setPeriod] = useState<Period>('day');
  const [range, setRange] = useState<Range>(() => lastDays(30));
  const [summary, setSummary] = useState<Summary | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let live = true;
    setLoading(true);
    getSummary(range, period)
      .then(
        (reply) => {
          if (!live) return;
          setSummary(reply);
          setProblem(null);
        },
        (thrown: unknown) => live && setProblem(problemText(thrown)),
      )
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [range, period]);

  return (
    <div className="cartback-dashboard-screen">
      <div className="cartback-toolbar">
        <SelectControl
          __next40pxDefaultSize
          __nextHasNoMarginBottom
          label={__('Range', 'cartback')}
          value={days}
          options={[
            { value: '7', label: __('Last 7 days', 'cartback') },
            { value: '30', label: __('Last 30 days', 'cartback') },
            { value: '90', label: __('Last 90 days', 'cartback') },
          ]}
          onChange={(value: string) => {
            setDays(value);
            setRange(lastDays(Number(value)));
          }}
        />
        <SelectControl
          __next40pxDefaultSize
          __nextHasNoMarginBottom
          label={__('Period', 'cartback')}
          value={period}
          options={[
            { value: 'day', label: __('By day', 'cartback') },
            { value: 'week', label: __('By week', 'cartback') },
            { value: 'month', label: __('By month', 'cartback') },
          ]}
          onChange={(value: string) => setPeriod(value as Period)}
        />
        <Button variant="secondary" onClick={() => setRange(lastDays(Number(days)))} disabled={loading}>
          {__('Refresh', 'cartback')}
        </Button>
        {loading && <Spinner />}
      </div>
      {problem && (
        <Notice status="error" isDismissible={false}>
          {problem}
        </Notice>
      )}
      {summary && (
        <>
          <HeadlineCards summary={summary} />
          <RevenueChart summary={summary} />
          <LanesSection summary={summary} />
        </>
      )}
      <ExportLinks config={exports} range={range} />
      <MessagesTable timeZone={summary?.time_zone ?? 'UTC'} />
      <Timeline timeZone={summary?.time_zone ?? 'UTC'} currency={summary?.currency ?? 'USD'} />
    </div>
  );
}
