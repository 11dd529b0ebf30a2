import type { Analysis, Spread, WindowStats } from './dispatch-analysis';
import type { FinalStates } from './dispatch-queue';
import type { DispatchTrace, TickSummary } from './dispatch-trace';
import { percentile } from './load';

/** The printed result of `bench:dispatch`. */

/** Throughput counts as keeping up when it reaches this share of the cap. */
export const THROUGHPUT_TARGET = 0.9;

export interface DispatchFigures {
  mariadb: string;
  node: string;
  cores: number;
  messages: number;
  spreadMs: number;
  cap: number;
  limitPerSecond: number;
  bucket: { ratePerSecond: number; capacity: number };
  batch: number;
  idleMs: number;
  /** How long the release UPDATE left before the first message fell due (negative: late). */
  leadMs: number;
  timedOut: boolean;
  analysis: Analysis;
  final: FinalStates;
  ticks: TickSummary;
  sends: DispatchTrace['sends'];
  /** CPU used from the release until every message was settled (ms): this process (the dispatcher), the fake. */
  cpu: { benchMs: number; fakeMs: number };
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const n = (value: number) => (Number.isFinite(value) ? integer.format(value) : '–');
const ms = (value: number) => (Number.isFinite(value) ? `${integer.format(value)} ms` : '–');
const spreadText = (s: Spread) => `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}`;
const check = (ok: boolean) => (ok ? 'met' : 'NOT MET');

function windowsText(w: WindowStats): string {
  return w.overruns === 0
    ? `0 (max ${n(w.max)} in a window)`
    : `${n(w.overruns)} in ${n(w.bursts)} bursts (max ${n(w.max)})`;
}

export interface Verdict {
  /** Hard failures: a duplicate, or a message never sent. */
  failed: boolean;
  lines: string[];
}

export function verdict(f: DispatchFigures): Verdict {
  const a = f.analysis;
  const noDuplicates = a.duplicates === 0 && a.strangers === 0;
  const allSent = a.notSent === 0;
  const noOverruns = a.arrivalWindows.overruns === 0 && a.acceptedWindows.overruns === 0;
  const fastEnough = a.perSecond >= THROUGHPUT_TARGET * f.cap;
  const lines = [
    `duplicates 0: ${check(noDuplicates)}`,
    `every message sent once: ${check(allSent && noDuplicates)}`,
    `no 1 s window over the cap: ${check(noOverruns)}${a.throttled > 0 ? ` (${n(a.throttled)} sends refused with 130429)` : ''}`,
    `throughput ≥ ${THROUGHPUT_TARGET * 100}% of the cap (${n(THROUGHPUT_TARGET * f.cap)}/s): ${check(fastEnough)}`,
  ];
  return { failed: !noDuplicates || !allSent, lines };
}

export function formatDispatchReport(f: DispatchFigures): string {
  const a = f.analysis;
  const t = f.ticks;
  const calls: Spread = {
    p50: percentile(f.sends.durations, 50),
    p99: percentile(f.sends.durations, 99),
    max: percentile(f.sends.durations, 100),
  };
  const arrivalRate = (f.messages * 1000) / f.spreadMs;
  const rows: Array<[string, string, string]> = [
    ['sent (accepted by the fake)', `${n(a.accepted)} of ${n(a.queued)}`, 'all'],
    ['messages/s (first due → last accepted)', n(a.perSecond), `≈ ${n(f.cap)} (the cap)`],
    ['messages/s (first → last accepted)', n(a.drainPerSecond), ''],
    ['lateness p50 / p99 / max (accepted − due)', spreadText(a.lateness), ''],
    ['  earliest the cap allows p50 / p99 / max', spreadText(a.boundLateness), ''],
    ['  beyond that, per message p50 / p99 / max', spreadText(a.excessLateness), ''],
    ['duplicates (extra accepted copies)', n(a.duplicates), '0'],
    ['rows sent once / never / more than once', `${n(a.sentOnce)} / ${n(a.notSent)} / ${n(a.sentMoreThanOnce)}`, ''],
    ['130429 rejections', n(a.throttled), '0'],
    ['cap overruns: requests reaching the fake', windowsText(a.arrivalWindows), '0'],
    ['cap overruns: accepted sends', windowsText(a.acceptedWindows), '0'],
    ['dispatcher: send call p50 / p99 / max', spreadText(calls), ''],
    [
      '  ticks / mean batch / sends in flight (max)',
      `${n(t.ticks)} / ${t.meanBatch.toFixed(1)} / ${n(f.sends.maxInFlight)}`,
      '',
    ],
    ['  tick period p50 / p99 / max', spreadText(t.period), ''],
    ['  claim p50 / p99', `${ms(t.claimMs.p50)} / ${ms(t.claimMs.p99)}`, ''],
    [
      `  ≈ tokens dropped by ticks over ${ms((f.bucket.capacity * 1000) / f.bucket.ratePerSecond)}`,
      n(t.droppedTokens),
      '',
    ],
    ['  statements per message (+ BEGIN/COMMIT)', t.statementsPerMessage.toFixed(2), ''],
    [
      'CPU per message: bench (dispatcher) / fake',
      `${(f.cpu.benchMs / a.accepted).toFixed(2)} ms / ${(f.cpu.fakeMs / a.accepted).toFixed(2)} ms (${f.cores} cores)`,
      '',
    ],
  ];
  if (a.strangers > 0) rows.push(['accepted with unknown callback data', n(a.strangers), '0']);
  for (const [key, count] of a.rejections) {
    if (!key.startsWith('130429 ')) rows.push([`other rejections: ${key}`, n(count), '0']);
  }
  const width = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]?.length ?? 0), c === 0 ? 6 : 6));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(width[i] ?? 0)).join(' | ')} |`;

  const states = ['submitted', 'failed', 'unknown', 'queued', 'submitting'];
  const other = [...f.final.states.keys()].filter((s) => !states.includes(s));
  const stateText = [...states, ...other]
    .filter((s) => states.slice(0, 3).includes(s) || (f.final.states.get(s) ?? 0) > 0)
    .map((s) => `${s} ${n(f.final.states.get(s) ?? 0)}`)
    .join(' · ');

  const v = verdict(f);
  return [
    `bench:dispatch — ${n(f.messages)} messages ` +
      (f.spreadMs > 0
        ? `due over ${(f.spreadMs / 1000).toFixed(1)} s (${n(arrivalRate)}/s arriving)`
        : 'all due at once') +
      ` against the fake WhatsApp Cloud API capped at ${n(f.cap)}/s`,
    `MariaDB ${f.mariadb}, Node ${f.node}, ${f.cores} cores; dispatcher limitPerSecond ${n(f.limitPerSecond)} ` +
      `(token bucket ${n(f.bucket.ratePerSecond)}/s + burst ${n(f.bucket.capacity)}), batch ${f.batch}, idle ${f.idleMs} ms`,
    `messages released ${ms(f.leadMs)} before the first fell due${f.timedOut ? '; the time limit came first' : ''}`,
    '',
    line(['metric', 'value', 'target']),
    line(width.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    `final states: ${stateText} (send attempts ${n(f.final.attempts)}, messages tried more than once ${n(f.final.retried)})`,
    '',
    'targets:',
    ...v.lines.map((l) => `  ${l}`),
    v.failed ? 'FAILED: a duplicate or a message not sent (exit 1)' : 'no duplicates, every message sent once',
  ].join('\n');
}
