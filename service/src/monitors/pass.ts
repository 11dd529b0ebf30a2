import type { Db } from '../db/database';
import { withTransaction } from '../db/transaction';
import { CronJob } from '../cron-job';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics';
import { decideMonitors, type MonitorVerdict } from './decide';
import { allLaneFigures, markHandled, openPauses, pendingSignals, readThresholds, recordFiring } from './sql';

export interface MonitorPassResult {
  verdicts: MonitorVerdict[];
  /** The verdicts that paused something now (each recorded once). */
  fired: MonitorVerdict[];
}

type MonitorGauges = Pick<
  Metrics,
  'monitorOptOutRate' | 'monitorReadRate' | 'monitorFailureRate' | 'monitorPaused' | 'monitorQualityLow'
>;

/**
 * One monitors' pass: the figures per lane and the pending template and quality webhooks, the
 * verdicts (monitors/decide.ts), and each firing recorded — which pauses its target (a lane, or
 * all sending) until an admin resumes it. In one transaction, so the signals weighed are marked
 * handled only with the firings they caused; `recordFiring` writes nothing for a target already
 * paused, so passes running at once record a firing once.
 */
export async function runMonitorPass(
  db: Db,
  storeId: number,
  now: Date,
  metrics?: MonitorGauges,
): Promise<MonitorPassResult> {
  const thresholds = await readThresholds(db, storeId);
  const lanes = await allLaneFigures(db, storeId, thresholds, now);
  const result = await withTransaction(db, async (trx) => {
    const signals = await pendingSignals(trx, storeId);
    const paused = await openPauses(trx, storeId);
    const verdicts = decideMonitors({
      lanes,
      templateSignals: signals.templates,
      qualityEvent: signals.quality,
      paused,
      thresholds,
    });
    const fired: MonitorVerdict[] = [];
    for (const v of verdicts) if (v.fire && (await recordFiring(trx, storeId, v, now))) fired.push(v);
    await markHandled(trx, signals.ids, now);
    return { verdicts, fired, paused: await openPauses(trx, storeId) };
  });
  if (metrics) {
    for (const v of result.verdicts) {
      const value = typeof v.figures.rate === 'number' ? v.figures.rate : null;
      if (value === null) continue;
      if (v.monitor === 'opt_out_rate') metrics.monitorOptOutRate.set({ lane: v.target }, value);
      if (v.monitor === 'read_rate') metrics.monitorReadRate.set({ lane: v.target }, value);
      if (v.monitor === 'failure_rate') metrics.monitorFailureRate.set({ lane: v.target }, value);
    }
    for (const lane of lanes) metrics.monitorPaused.set({ target: lane.lane }, result.paused.has(lane.lane) ? 1 : 0);
    metrics.monitorPaused.set({ target: 'all' }, result.paused.has('all') ? 1 : 0);
    const quality = result.verdicts.find((v) => v.monitor === 'number_quality');
    if (quality && quality.figures.event !== 'none') metrics.monitorQualityLow.set(quality.reason === 'ok' ? 0 : 1);
  }
  return { verdicts: result.verdicts, fired: result.fired };
}

/** Runs the monitors' pass every 5 minutes (and once at start). */
export class MonitorScheduler {
  private readonly job: CronJob;

  constructor(options: { db: Db; storeId: number; logger: Logger; metrics?: MonitorGauges; expression?: string }) {
    this.job = new CronJob({
      name: 'cartback-monitors',
      expression: options.expression ?? '0 */5 * * * *',
      logger: options.logger,
      failure: 'monitors pass failed',
      work: async (now) => {
        const { fired } = await runMonitorPass(options.db, options.storeId, now, options.metrics);
        for (const v of fired) {
          options.logger.warn(
            { monitor: v.monitor, target: v.target, reason: v.reason, figures: v.figures },
            'monitor fired: paused',
          );
        }
      },
    });
  }

  start(): void {
    this.job.start({ runNow: true });
  }

  /** A pass now: a quality or template webhook is acted on within seconds, not at the next 5 minutes. */
  readonly wake = (): void => {
    void this.job.runNow();
  };

  stop(): Promise<void> {
    return this.job.stop();
  }
}
