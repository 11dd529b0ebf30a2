import type { Db } from '../db/database';
import { currencyDigits } from './format';
import { Z95, type CellFacts, type Interval } from './lift';
import { boundarySeconds, buckets, type Period } from './period';
import type { RateCard } from './rate-card';
import { addFigures, conversionFor, emptyFigures, figuresBy, type Facts, type Figures, type Key } from './report';
import { attributionFacts, incentiveFacts } from './sql/attribution-facts';
import type { Range } from './sql/bucket';
import { enrollmentFacts } from './sql/enrollment-facts';
import { liftFacts } from './sql/lift-facts';
import { messageFacts } from './sql/message-facts';
import { laneLift, type LaneLift } from './verdict';

/**
 * The dashboard's two aggregate answers, assembled from the SQL adapters (measure/sql/, one GROUP
 * BY each, run side by side) and the pure figures (measure/report.ts, lift.ts, verdict.ts).
 */

export interface StoreView {
  storeId: number;
  timeZone: string;
  currency: string;
  locale: string;
  card: RateCard;
}

async function gather(db: Db, range: Range): Promise<Facts> {
  const [enrollments, messages, attributions, incentives] = await Promise.all([
    enrollmentFacts(db, range),
    messageFacts(db, range),
    attributionFacts(db, range),
    incentiveFacts(db, range),
  ]);
  return { enrollments, messages, attributions, incentives };
}

const rate = (part: number, whole: number) => (whole > 0 ? part / whole : null);

function cellJson(cell: CellFacts) {
  return {
    enrolled: cell.enrolled,
    converted: cell.converted,
    conversion_rate: rate(cell.converted, cell.enrolled),
    revenue: cell.revenue,
    revenue_per_contact: rate(cell.revenue, cell.enrolled),
  };
}

function liftJson(lift: LaneLift) {
  return {
    treated: cellJson(lift.treated),
    holdout: cellJson(lift.holdout),
    conversion: lift.conversion,
    revenue_per_contact: lift.revenuePerContact,
    incremental_revenue: lift.incrementalRevenue,
    verdict: {
      kind: lift.verdict.kind,
      text: lift.verdict.text,
      revenue_text: lift.verdict.revenueText,
      more_carts: lift.verdict.moreCarts,
    },
  };
}

/**
 * Incremental revenue over every lane: the lanes' estimates added; the interval's half-widths
 * added in quadrature (lanes are independent samples, normal approximation), each lane's
 * asymmetric sides kept apart.
 */
export function combineIncremental(parts: readonly Interval[]): Interval | null {
  if (parts.length === 0) return null;
  const estimate = parts.reduce((s, p) => s + p.estimate, 0);
  const below = Math.sqrt(parts.reduce((s, p) => s + (p.estimate - p.low) ** 2, 0));
  const above = Math.sqrt(parts.reduce((s, p) => s + (p.high - p.estimate) ** 2, 0));
  return { estimate, low: estimate - below, high: estimate + above };
}

export async function dashboardSummary(db: Db, view: StoreView, from: Date, to: Date, period: Period) {
  const periods = buckets(from, to, period, view.timeZone);
  const conversion = conversionFor(view.card, view.currency, currencyDigits(view.currency));
  const range: Range = { storeId: view.storeId, from, to, boundaries: boundarySeconds(periods) };
  // One set of facts split by period serves both: per lane the periods are simply added up.
  const [timeFacts, lifts] = await Promise.all([gather(db, range), liftFacts(db, range)]);
  const perLane = figuresBy(timeFacts, conversion, (k: Key) => k.lane);
  const perPeriod = figuresBy(timeFacts, conversion, (k: Key) => String(k.bucket));
  const lanes = [...new Set([...perLane.keys(), ...lifts.keys()])].sort().map((lane) => {
    const figures = perLane.get(lane) ?? emptyFigures();
    const cells = lifts.get(lane);
    const lift = cells ? laneLift(cells.treated, cells.holdout, view.currency, view.locale) : null;
    return {
      lane,
      figures,
      opt_out_rate: rate(figures.opt_outs, figures.enrolled_treated),
      lift: lift ? liftJson(lift) : null,
      raw: lift,
    };
  });
  const totals = lanes.reduce<Figures>((sum, l) => addFigures(sum, l.figures), emptyFigures());
  const incremental = combineIncremental(
    lanes.flatMap((l) => (l.raw?.incrementalRevenue ? [l.raw.incrementalRevenue] : [])),
  );
  const cost = totals.message_cost === null ? null : totals.incentive_cost + totals.message_cost;
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    period,
    time_zone: view.timeZone,
    currency: view.currency,
    cost_currency: 'USD' as const,
    store_currency_per_usd: conversion.storePerUsd,
    headline: {
      recovered_revenue: totals.recovered_revenue,
      influenced_revenue: totals.influenced_revenue,
      incremental_revenue: incremental,
      incentive_cost: totals.incentive_cost,
      message_cost_usd: totals.message_cost_usd,
      message_cost: totals.message_cost,
      net_before_message_cost: totals.net_before_message_cost,
      net: totals.net,
      return_on_cost: cost ? totals.recovered_revenue / cost : null,
      incremental_return_on_cost: cost && incremental ? incremental.estimate / cost : null,
      opt_out_rate: rate(totals.opt_outs, totals.enrolled_treated),
    },
    lanes: lanes.map(({ raw: _raw, ...lane }) => lane),
    revenue_over_time: periods.map((b, i) => {
      const f = perPeriod.get(String(i)) ?? emptyFigures();
      return {
        period: b.label,
        start: b.start.toISOString(),
        recovered_revenue: f.recovered_revenue,
        influenced_revenue: f.influenced_revenue,
        net: f.net,
      };
    }),
    confidence: { level: 0.95, z: Z95 },
  };
}

/** One lane's funnel: totals, per step (and template), and the same per period. */
export async function dashboardFunnel(db: Db, view: StoreView, lane: string, from: Date, to: Date, period: Period) {
  const periods = buckets(from, to, period, view.timeZone);
  const conversion = conversionFor(view.card, view.currency, currencyDigits(view.currency));
  const facts = await gather(db, { storeId: view.storeId, from, to, boundaries: boundarySeconds(periods), lane });
  const stepKey = (k: Key) => (k.step === null ? '' : `${k.step}\u0000${k.template ?? ''}`);
  const byPeriodStep = figuresBy(facts, conversion, (k) => `${k.bucket}\u0001${stepKey(k)}`);
  const byStep = figuresBy(facts, conversion, stepKey);
  const stepsOf = (map: Map<string, Figures>, prefix: string) =>
    [...map.entries()]
      .filter(([id]) => id.startsWith(prefix) && id.slice(prefix.length) !== '')
      .map(([id, figures]) => {
        const [step, template] = id.slice(prefix.length).split('\u0000');
        return { step: Number(step), template: template || null, ...figures };
      })
      .sort((a, b) => a.step - b.step || String(a.template).localeCompare(String(b.template)));
  const sumAll = (map: Map<string, Figures>, prefix: string) =>
    [...map.entries()]
      .filter(([id]) => id.startsWith(prefix))
      .reduce<Figures>((s, [, f]) => addFigures(s, f), emptyFigures());
  return {
    lane,
    period,
    from: from.toISOString(),
    to: to.toISOString(),
    time_zone: view.timeZone,
    currency: view.currency,
    cost_currency: 'USD' as const,
    store_currency_per_usd: conversion.storePerUsd,
    totals: sumAll(byStep, ''),
    steps: stepsOf(byStep, ''),
    periods: periods.map((b, i) => ({
      period: b.label,
      start: b.start.toISOString(),
      totals: sumAll(byPeriodStep, `${i}\u0001`),
      steps: stepsOf(byPeriodStep, `${i}\u0001`),
    })),
  };
}
