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
  ceiling: { rows: number; wallMs: number };
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

/** The printed table: throughput and latency through the sidecar, the raw INSERT ceiling, their ratio. */
export function formatReport(f: Figures): string {
  const sidecarRate = perSecond(f.sidecar.events, f.sidecar.wallMs);
  const ceilingRate = perSecond(f.ceiling.rows, f.ceiling.wallMs);
  const ratio = ceilingRate > 0 ? sidecarRate / ceilingRate : 0;
  const verdict = (met: boolean) => (met ? 'met' : 'NOT met');
  const total = [...f.mix.values()].reduce((a, b) => a + b, 0);
  const mix = [...f.mix.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([type, n]) => `${type} ${((n * 100) / Math.max(total, 1)).toFixed(1)}%`)
    .join(', ');
  const width = Math.max(integer.format(f.sidecar.events).length, integer.format(f.ceiling.rows).length);
  const rateWidth = Math.max(integer.format(sidecarRate).length, integer.format(ceilingRate).length);
  const count = (n: number) => integer.format(n).padStart(width);
  const rate = (n: number) => integer.format(n).padStart(rateWidth);
  return [
    `ingest benchmark (MariaDB ${f.mariadb}, node ${f.node}, ${f.cores} cores; ` +
      `batches of ${f.eventsPerBatch}, concurrency ${f.concurrency}, ${f.warmupBatches} warm-up batches not measured)`,
    `  events   ${mix}`,
    `  sidecar  POST /v1/events    ${count(f.sidecar.events)} events in ${seconds(f.sidecar.wallMs)}   ` +
      `${rate(sidecarRate)} events/s   batch p50 ${millis(f.sidecar.p50Ms)}  p99 ${millis(f.sidecar.p99Ms)}  ` +
      `max ${millis(f.sidecar.maxMs)}`,
    `  ceiling  raw INSERT         ${count(f.ceiling.rows)} rows   in ${seconds(f.ceiling.wallMs)}   ` +
      `${rate(ceilingRate)} rows/s     (100-row INSERTs into a copy of inbound_events, autocommit)`,
    `  ratio    sidecar / ceiling  ${ratio.toFixed(2)}   (target ≥ ${TARGET_RATIO.toFixed(2)}: ` +
      `${verdict(ratio >= TARGET_RATIO)})   target ≥ ${integer.format(TARGET_EVENTS_PER_SECOND)} events/s: ` +
      `${verdict(sidecarRate >= TARGET_EVENTS_PER_SECOND)}`,
  ].join('\n');
}
