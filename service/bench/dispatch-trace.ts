import { performance } from 'node:perf_hooks';
import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  UnknownRow,
} from 'kysely';
import type { Db } from '../src/db/database';
import type { WhatsAppProvider } from '../src/whatsapp/provider';
import { percentile } from './load';

/**
 * What `bench:dispatch` sees of the dispatcher from outside it, without touching its code: its
 * statements (a Kysely plugin on the pool it is given) and its provider calls (a wrapper).
 * A claim is the dispatcher's SELECT … FOR UPDATE: one per tick.
 */

export interface Claim {
  /** performance.now() when the claim's SELECT was issued, and its duration (ms). */
  atMs: number;
  ms: number;
  rows: number;
}

export interface DispatchTrace {
  claims: Claim[];
  /** Statements run by the dispatcher, by kind (SelectQueryNode, UpdateQueryNode, RawNode, …). */
  statements: Map<string, number>;
  sends: { durations: number[]; maxInFlight: number };
}

export function newTrace(): DispatchTrace {
  return { claims: [], statements: new Map(), sends: { durations: [], maxInFlight: 0 } };
}

/** The dispatcher's database with every statement counted and its claims timed. */
export function traced(db: Db, trace: DispatchTrace): Db {
  const started = new WeakMap<object, number>();
  const plugin: KyselyPlugin = {
    transformQuery({ node, queryId }: PluginTransformQueryArgs) {
      trace.statements.set(node.kind, (trace.statements.get(node.kind) ?? 0) + 1);
      if (node.kind === 'SelectQueryNode' && (node.endModifiers?.length ?? 0) > 0) {
        started.set(queryId, performance.now());
      }
      return node;
    },
    async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const at = started.get(queryId);
      if (at !== undefined) {
        started.delete(queryId);
        trace.claims.push({ atMs: at, ms: performance.now() - at, rows: result.rows.length });
      }
      return result;
    },
  };
  return db.withPlugin(plugin);
}

/** The provider with every template send timed, and the most calls in flight at once. */
export function timedProvider(provider: WhatsAppProvider, trace: DispatchTrace): WhatsAppProvider {
  let inFlight = 0;
  return {
    name: provider.name,
    listTemplates: () => provider.listTemplates(),
    sendText: (to, body, callbackData) => provider.sendText(to, body, callbackData),
    async sendTemplate(msg) {
      const start = performance.now();
      trace.sends.maxInFlight = Math.max(trace.sends.maxInFlight, ++inFlight);
      try {
        return await provider.sendTemplate(msg);
      } finally {
        inFlight--;
        trace.sends.durations.push(performance.now() - start);
      }
    },
  };
}

export interface TickSummary {
  /** Claims that found messages (the dispatcher's working ticks). */
  ticks: number;
  meanBatch: number;
  claimMs: { p50: number; p99: number };
  /** From one working claim to the next: claim + the batch's sends + their records. */
  period: { p50: number; p99: number; max: number };
  /**
   * Roughly how many tokens the dispatcher's bucket dropped because it was full: while a tick
   * runs longer than capacity ÷ rate, the refill beyond the capacity is lost. Counted at the
   * configured pace (after a 130429 the pace is lower, so this overstates a little).
   */
  droppedTokens: number;
  /** Statements per message sent (BEGIN and COMMIT come on top: 2 per transaction). */
  statementsPerMessage: number;
}

export function summarise(
  trace: DispatchTrace,
  bucket: { ratePerSecond: number; capacity: number },
  sent: number,
): TickSummary {
  const working = trace.claims.filter((c) => c.rows > 0);
  const periods = working.slice(1).map((c, i) => c.atMs - (working[i]?.atMs ?? c.atMs));
  const fullAfterMs = (bucket.capacity * 1000) / bucket.ratePerSecond;
  // Gaps over a second are pauses after a 130429 (the bucket is emptied then), not slow ticks.
  const dropped = periods
    .filter((p) => p <= 1000)
    .reduce((sum, p) => sum + (Math.max(0, p - fullAfterMs) * bucket.ratePerSecond) / 1000, 0);
  const statements = [...trace.statements.values()].reduce((a, b) => a + b, 0);
  const claimMs = working.map((c) => c.ms);
  return {
    ticks: working.length,
    meanBatch: working.length > 0 ? working.reduce((sum, c) => sum + c.rows, 0) / working.length : Number.NaN,
    claimMs: { p50: percentile(claimMs, 50), p99: percentile(claimMs, 99) },
    period: { p50: percentile(periods, 50), p99: percentile(periods, 99), max: percentile(periods, 100) },
    droppedTokens: dropped,
    statementsPerMessage: sent > 0 ? statements / sent : Number.NaN,
  };
}
