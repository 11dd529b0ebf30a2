import type { StoreEvent } from '@cartback/shared';

export const TARGET_EVENTS_PER_SECOND = 5_000;
export const TARGET_RATIO = 1 / 3;

export interface Figures {
  mariadb: string;
  node: string;
  cores: number;
  concurrency: number;
  eventsPerBatch: number;
  warmupBatches: number;
  sidecar: { events: number; wallMs: number; p50Ms: number; p99Ms: number; maxMs: number };
  /**
   * Every row the sidecar's run stored, warm-up batches included, re-inserted; `events` is the
   * number of events those rows represent (warm-up + measured), `tables` the rows per table.
   */
  ceilingAll: { rows: number; wallMs: number; events: number; tables: ReadonlyArray<[string, number]> };
  /** The measured events' inbound_events rows only (warm-up rows inserted first, not timed). */
  ceilingLog: { rows: number; wallMs: number };
  /** Measured events by type. */
  mix: Map<string, number>;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

function perSecond(count: number, wallMs: number): number {
  return wallMs > 0 ? (count * 1000) / wallMs : 0;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function millis(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}

export function countTypes(events: readonly StoreEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  return counts;
}

/** The printed table: throughput and latency through the sidecar, the raw INSERT ceilings, the ratios. */
export function formatReport(f: Figures): string {
  const sidecarRate = perSecond(f.sidecar.events, f.sidecar.wallMs);
  const allRowsRate = perSecond(f.ceilingAll.rows, f.ceilingAll.wallMs);
  const allEventsRate = perSecond(f.ceilingAll.events, f.ceilingAll.wallMs);
  // One log row per event: the log-only ceiling's rows/s is its events/s.
  const logRate = perSecond(f.ceilingLog.rows, f.ceilingLog.wallMs);
  const ratioAll = allEventsRate > 0 ? sidecarRate / allEventsRate : 0;
  const ratioLog = logRate > 0 ? sidecarRate / logRate : 0;
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  const total = [...f.mix.values()].reduce((a, b) => a + b, 0);
  const mix = [...f.mix.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([type, n]) => `${type} ${((n * 100) / Math.max(total, 1)).toFixed(1)}%`)
    .join(', ');
  const tables = f.ceilingAll.tables.map(([table, n]) => `${table} ${integer.format(n)}`).join(', ');
  const counts = [f.sidecar.events, f.ceilingAll.rows, f.ceilingLog.rows];
  const rates = [sidecarRate, allRowsRate, logRate];
  const width = Math.max(...counts.map((n) => integer.format(n).length));
  const rateWidth = Math.max(...rates.map((n) => integer.format(n).length));
  const count = (n: number) => integer.format(n).padStart(width);
  const rate = (n: number) => integer.format(n).padStart(rateWidth);
  const label = (text: string) => text.padEnd(44);
  return [
    `ingest benchmark (MariaDB ${f.mariadb}, node ${f.node}, ${f.cores} cores; ` +
      `batches of ${f.eventsPerBatch}, concurrency ${f.concurrency}, ${f.warmupBatches} warm-up batches not measured)`,
    `  events   ${mix}`,
    `  ${label('sidecar  POST /v1/events')}${count(f.sidecar.events)} events in ${seconds(f.sidecar.wallMs)}   ` +
      `${rate(sidecarRate)} events/s   batch p50 ${millis(f.sidecar.p50Ms)}  p99 ${millis(f.sidecar.p99Ms)}  ` +
      `max ${millis(f.sidecar.maxMs)}`,
    `  ${label('ceiling  raw INSERT (all rows)')}${count(f.ceilingAll.rows)} rows   in ${seconds(f.ceilingAll.wallMs)}   ` +
      `${rate(allRowsRate)} rows/s     = ${integer.format(allEventsRate)} events/s ` +
      `(${integer.format(f.ceilingAll.events)} events represented / ${seconds(f.ceilingAll.wallMs)})`,
    `           rows stored by the sidecar, warm-up included: ${tables}`,
    `           (100-row INSERTs into CREATE TABLE … LIKE copies, autocommit)`,
    `  ${label('ceiling  raw INSERT (log rows only)')}${count(f.ceilingLog.rows)} rows   in ${seconds(f.ceilingLog.wallMs)}   ` +
      `${rate(logRate)} rows/s     (100-row INSERTs into a copy of inbound_events, autocommit)`,
    `  ${label('ratio    sidecar / ceiling (all rows)')}${ratioAll.toFixed(2)}   ` +
      `(target ≥ ${TARGET_RATIO.toFixed(2)}: ${verdict(ratioAll >= TARGET_RATIO)})`,
    `  ${label('ratio    sidecar / ceiling (log rows only)')}${ratioLog.toFixed(2)}`,
    `  ${label('target   sidecar ≥ ' + integer.format(TARGET_EVENTS_PER_SECOND) + ' events/s')}` +
      `${verdict(sidecarRate >= TARGET_EVENTS_PER_SECOND)}   (${integer.format(sidecarRate)} events/s)`,
  ].join('\n');
}
