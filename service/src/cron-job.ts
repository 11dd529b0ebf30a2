import cron, { type ScheduledTask } from 'node-cron';
import { loggableError } from './http/errors';
import type { Logger } from './logger';

export interface CronJobSpec {
  /** node-cron's task name. */
  name: string;
  /** A node-cron expression, seconds first. */
  expression: string;
  logger: Logger;
  /** The log line when a run fails. */
  failure: string;
  /** One run at `now`. */
  work: (now: Date) => Promise<void>;
}

/**
 * Background work on a node-cron schedule, as the sidecar's sweeps and passes share it: runs in
 * one process never overlap (each waits for the one before), a failed run is logged and never
 * thrown, and `stop` waits for the run under way.
 */
export class CronJob {
  private task: ScheduledTask | null = null;
  private current: Promise<void> = Promise.resolve();

  constructor(private readonly spec: CronJobSpec) {}

  /** Schedules the work; with `runNow`, also runs it once at once. */
  start(options: { runNow?: boolean } = {}): void {
    this.task = cron.schedule(this.spec.expression, () => this.run(), { name: this.spec.name, noOverlap: true });
    if (options.runNow) void this.run();
  }

  /** Runs the work once now (after any run under way), outside the schedule. */
  runNow(): Promise<void> {
    return this.run();
  }

  async stop(): Promise<void> {
    await this.task?.stop();
    await this.task?.destroy();
    this.task = null;
    await this.current;
  }

  private run(): Promise<void> {
    this.current = this.current.then(() =>
      this.spec
        .work(new Date())
        .catch((error: unknown) => this.spec.logger.error({ err: loggableError(error) }, this.spec.failure)),
    );
    return this.current;
  }
}
